import type { ReleaseResult, Sandbox } from '@broker/domain';
import type { ExtendResponseDto } from './dto/extend-response.dto';
import type { ReleaseResponseDto } from './dto/release-response.dto';
import type { SandboxResponseDto } from './dto/sandbox-response.dto';

export function toSandboxResponse(sandbox: Sandbox): SandboxResponseDto {
  return {
    sandbox_id: sandbox.sandboxId,
    name: sandbox.name,
    external_id: sandbox.externalId,
    status: sandbox.status,
    allocated_to_track: sandbox.ownerId ?? null,
    allocated_at: sandbox.allocatedAt ?? null,
    expires_at: sandbox.expiresAt ?? null,
    track_name: sandbox.trackName ?? null,
    sfdc_account_id: sandbox.sfdcAccountId ?? null,
  };
}

export function toReleaseResponse({ sandbox }: ReleaseResult): ReleaseResponseDto {
  return {
    sandbox_id: sandbox.sandboxId,
    status: sandbox.status,
    deletion_requested_at: sandbox.deletionRequestedAt ?? null,
  };
}

export function toExtendResponse(sandbox: Sandbox, maxCount: number): ExtendResponseDto {
  const count = sandbox.extensionCount ?? 0;
  return {
    sandbox_id: sandbox.sandboxId,
    status: sandbox.status,
    allocated_at: sandbox.allocatedAt ?? null,
    expires_at: sandbox.expiresAt ?? null,
    extension_count: count,
    extensions_left: Math.max(0, maxCount - count),
  };
}
