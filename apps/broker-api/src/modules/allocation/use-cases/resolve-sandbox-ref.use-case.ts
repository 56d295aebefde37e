import { Inject, Injectable } from '@nestjs/common';
import {
  externalAccountKey,
  isFullAccountPath,
  SANDBOX_READ_REPOSITORY,
  SandboxNotFoundError,
  type SandboxReadRepository,
} from '@broker/domain';

/**
 * The sandbox id of a path parameter. Lab scripts of the original write the provider account uuid
 * into `sandbox_id.txt` and send it back on release, so besides the broker id the read and release
 * paths take `<uuid>` or `identity/accounts/<uuid>`: resolved through the ExternalIndex (one index
 * Query, never a scan), then handled exactly like the broker id (same owner checks and answers).
 * A broker id is returned as is, without any read.
 */
@Injectable()
export class ResolveSandboxRefUseCase {
  constructor(
    @Inject(SANDBOX_READ_REPOSITORY)
    private readonly repository: Pick<SandboxReadRepository, 'findByExternalId'>,
  ) {}

  async execute(ref: string): Promise<string> {
    if (externalAccountKey(ref) === null) return ref;
    const found = await this.repository.findByExternalId(ref);
    if (found) return found.sandboxId;
    // `identity/accounts/…` can never be a broker id; a bare uuid might be (checked as such).
    if (isFullAccountPath(ref)) throw new SandboxNotFoundError(ref);
    return ref;
  }
}
