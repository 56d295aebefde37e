import { Module } from '@nestjs/common';
import { AllocationController } from './allocation.controller';
import { AllocateSandboxUseCase } from './use-cases/allocate-sandbox.use-case';
import { GetSandboxUseCase } from './use-cases/get-sandbox.use-case';
import { ReleaseSandboxUseCase } from './use-cases/release-sandbox.use-case';
import { ResolveSandboxRefUseCase } from './use-cases/resolve-sandbox-ref.use-case';

/** The repository ports come from the global PersistenceModule. */
@Module({
  controllers: [AllocationController],
  providers: [
    AllocateSandboxUseCase,
    GetSandboxUseCase,
    ReleaseSandboxUseCase,
    ResolveSandboxRefUseCase,
  ],
})
export class AllocationModule {}
