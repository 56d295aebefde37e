import { Inject, Injectable } from '@nestjs/common';
import {
  NotSandboxOwnerError,
  SANDBOX_READ_REPOSITORY,
  type Sandbox,
  type SandboxReadRepository,
  SandboxNotFoundError,
} from '@broker/domain';

/** The owner's view of a sandbox, also after release (the owner id stays on the row). */
@Injectable()
export class GetSandboxUseCase {
  constructor(
    @Inject(SANDBOX_READ_REPOSITORY)
    private readonly repository: Pick<SandboxReadRepository, 'get'>,
  ) {}

  async execute(sandboxId: string, studentId: string): Promise<Sandbox> {
    const sandbox = await this.repository.get(sandboxId);
    if (sandbox === null) throw new SandboxNotFoundError(sandboxId);
    if (sandbox.ownerId !== studentId) throw new NotSandboxOwnerError(sandboxId);
    return sandbox;
  }
}
