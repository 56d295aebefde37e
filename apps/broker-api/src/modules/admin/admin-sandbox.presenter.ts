import type { Sandbox } from '@broker/domain';
import type { AdminSandboxDto } from './dto/admin-sandbox.dto';

export function toAdminSandbox(s: Sandbox): AdminSandboxDto {
  return {
    sandbox_id: s.sandboxId,
    name: s.name,
    external_id: s.externalId,
    status: s.status,
    sfdc_account_id: s.sfdcAccountId,
    owner_id: s.ownerId ?? null,
    track_name: s.trackName ?? null,
    allocated_at: s.allocatedAt ?? null,
    expires_at: s.expiresAt ?? null,
    deletion_requested_at: s.deletionRequestedAt ?? null,
    deletion_attempts: s.deletionAttempts,
    next_attempt_at: s.nextAttemptAt ?? null,
    last_error: s.lastError ?? null,
    quarantine_reason: s.quarantineReason ?? null,
    deleted_at: s.deletedAt ?? null,
    stale_since: s.staleSince ?? null,
    reservation_id: s.reservationId ?? null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    version: s.version,
  };
}
