import { type DynamicModule, Module } from '@nestjs/common';
import { AllocationController } from './allocation.controller';
import { ALLOCATION_POLICIES, type AllocationPolicies } from './allocation.tokens';
import { AllocateSandboxUseCase } from './use-cases/allocate-sandbox.use-case';
import { ExtendSandboxUseCase } from './use-cases/extend-sandbox.use-case';
import { GetSandboxUseCase } from './use-cases/get-sandbox.use-case';
import { ReleaseSandboxUseCase } from './use-cases/release-sandbox.use-case';
import { ResolveSandboxRefUseCase } from './use-cases/resolve-sandbox-ref.use-case';

/** The repository ports come from the global PersistenceModule. */
@Module({})
export class AllocationModule {
  static forRoot(policies: AllocationPolicies): DynamicModule {
    return {
      module: AllocationModule,
      controllers: [AllocationController],
      providers: [
        { provide: ALLOCATION_POLICIES, useValue: policies },
        AllocateSandboxUseCase,
        ExtendSandboxUseCase,
        GetSandboxUseCase,
        ReleaseSandboxUseCase,
        ResolveSandboxRefUseCase,
      ],
    };
  }
}
