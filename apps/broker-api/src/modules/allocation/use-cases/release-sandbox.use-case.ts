import { Inject, Injectable } from '@nestjs/common';
import { type ReleaseResult, SANDBOX_REPOSITORY, type SandboxRepository } from '@broker/domain';

/** The owner gives the sandbox back for deletion; a repeat is answered the same way. */
@Injectable()
export class ReleaseSandboxUseCase {
  constructor(@Inject(SANDBOX_REPOSITORY) private readonly repository: SandboxRepository) {}

  execute(sandboxId: string, studentId: string): Promise<ReleaseResult> {
    return this.repository.release(sandboxId, studentId);
  }
}
