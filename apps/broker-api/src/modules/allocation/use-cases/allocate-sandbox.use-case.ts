import { Inject, Injectable } from '@nestjs/common';
import {
  type AllocationRequest,
  type AllocationResult,
  SANDBOX_REPOSITORY,
  type SandboxRepository,
} from '@broker/domain';

/** Hands the student a sandbox, or returns the one their claim already holds. */
@Injectable()
export class AllocateSandboxUseCase {
  constructor(@Inject(SANDBOX_REPOSITORY) private readonly repository: SandboxRepository) {}

  execute(request: AllocationRequest): Promise<AllocationResult> {
    return this.repository.allocate(request);
  }
}
