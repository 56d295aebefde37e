import { type LeasePolicy, SANDBOX_ID_PATTERN, SandboxStatus } from '@broker/domain';
import { CLAIM_RETENTION_SECONDS } from '../allocation/claim-writes';
import {
  allocationSortKey,
  externalIndexKeys,
  nameSortKey,
  SANDBOX_SK,
  sandboxPk,
  statusPkOf,
} from '../keys/item-keys';
import { type ClaimItem, newClaimItem } from '../mapping/claim-item';
import type { SandboxItem } from '../mapping/sandbox-item';

/** The original's `lab_duration_hours` default (reference §2.3: always 4 in practice). */
const ORIGINAL_LAB_DURATION_HOURS = 4;
const NOT_AVAILABLE = 'N/A';

/** A row of the original's table, mapped to this broker's items (or not). */
export type MappedRow =
  | {
      readonly kind: 'sandbox' | 'history';
      readonly source: string;
      readonly item: MigratedItem;
      /** Allocated rows: the claim that makes the student's repeat allocation return this sandbox. */
      readonly claim?: ClaimItem;
    }
  | { readonly kind: 'unmapped'; readonly source: string; readonly reason: string };

/** A sandbox item as the repository writes it, plus the migration marker. */
export type MigratedItem = SandboxItem & { migrated_at: number };

/** Token of a migrated allocation: deterministic, so a re-run writes the same claim. */
export function migratedClaimToken(sandboxId: string): string {
  return `migrated-${sandboxId}`;
}

/**
 * Maps one item of the original's table (reference §2): `SBX#<id>`/`META` sandbox rows by status,
 * `NIOSXAAS#<id>`/`CLEANUP` history rows (the only trace of a sandbox the original deleted) to
 * tombstones. Anything else, or a row missing what its status needs, is `unmapped` with a reason.
 */
export function mapOriginalRow(
  raw: Record<string, unknown>,
  nowS: number,
  lease: LeasePolicy,
): MappedRow {
  const pk = str(raw['PK']) ?? '';
  const source = `${pk}|${str(raw['SK']) ?? ''}`;
  const unmapped = (reason: string): MappedRow => ({ kind: 'unmapped', source, reason });
  if (pk.startsWith('NIOSXAAS#')) {
    if (raw['SK'] !== 'CLEANUP') return unmapped('NIOSXAAS# row without SK CLEANUP');
    const id = str(raw['sandbox_id']) ?? pk.slice('NIOSXAAS#'.length);
    if (!SANDBOX_ID_PATTERN.test(id)) return unmapped(`sandbox id ${JSON.stringify(id)} invalid`);
    const owner = notNA(raw['allocated_to_track']);
    const track = notNA(raw['track_name']);
    const deletedAt = num(raw['deleted_at']) ?? nowS;
    return {
      kind: 'history',
      source,
      item: baseItem(id, SandboxStatus.Deleted, raw, nowS, {
        name: str(raw['sandbox_name']) ?? `sandbox-${id}`,
        ...(owner ? { owner_id: owner } : {}),
        ...(track ? { track_name: track } : {}),
        deleted_at: deletedAt,
      }),
    };
  }
  if (!pk.startsWith('SBX#')) return unmapped('not a sandbox (SBX#) or history (NIOSXAAS#) row');
  if (raw['SK'] !== 'META') return unmapped('SBX# row without SK META');
  const id = str(raw['sandbox_id']) ?? pk.slice('SBX#'.length);
  if (!SANDBOX_ID_PATTERN.test(id)) return unmapped(`sandbox id ${JSON.stringify(id)} invalid`);
  const owner = notNA(raw['allocated_to_track']);
  const track = notNA(raw['track_name']);
  const allocatedAt = num(raw['allocated_at']) ?? 0;
  const ownerFields = (): Partial<SandboxItem> =>
    owner && allocatedAt > 0
      ? {
          owner_id: owner,
          idempotency_key: str(raw['idempotency_key']) ?? owner,
          allocated_at: allocatedAt,
          expires_at:
            allocatedAt + (num(raw['lab_duration_hours']) ?? ORIGINAL_LAB_DURATION_HOURS) * 3600,
          owner_pk: owner,
          owner_sk: allocationSortKey(allocatedAt, id),
          ...(track
            ? { track_name: track, track_pk: track, track_sk: allocationSortKey(allocatedAt, id) }
            : {}),
        }
      : {};
  const attempts = num(raw['deletion_retry_count']) ?? 0;
  const status = str(raw['status']);
  switch (status) {
    case 'available':
      return { kind: 'sandbox', source, item: baseItem(id, SandboxStatus.Available, raw, nowS) };
    case 'allocated': {
      if (!owner || allocatedAt <= 0) {
        return unmapped('allocated without allocated_to_track or allocated_at');
      }
      const token = migratedClaimToken(id);
      const item = baseItem(id, SandboxStatus.Allocated, raw, nowS, {
        ...ownerFields(),
        claim_token: token,
      });
      const claim = newClaimItem({
        studentId: owner,
        idempotencyKey: item.idempotency_key ?? owner,
        sandboxId: id,
        token,
        nowMs: allocatedAt * 1000,
        // Long past: the claim is settled (held while the sandbox is allocated under the token).
        deadlineMs: allocatedAt * 1000,
        ttl: (item.expires_at ?? allocatedAt) + lease.graceSeconds + CLAIM_RETENTION_SECONDS,
      });
      return { kind: 'sandbox', source, item, claim };
    }
    case 'pending_deletion':
      return {
        kind: 'sandbox',
        source,
        item: baseItem(id, SandboxStatus.PendingDeletion, raw, nowS, {
          ...ownerFields(),
          deletion_requested_at:
            num(raw['deletion_requested_at']) ?? num(raw['updated_at']) ?? nowS,
          deletion_attempts: attempts,
        }),
      };
    case 'deletion_failed':
      return {
        kind: 'sandbox',
        source,
        item: baseItem(id, SandboxStatus.DeletionFailed, raw, nowS, {
          ...ownerFields(),
          ...(num(raw['deletion_requested_at'])
            ? { deletion_requested_at: num(raw['deletion_requested_at']) }
            : {}),
          deletion_attempts: Math.max(attempts, 1),
          last_error:
            str(raw['niosxaas_cleanup_failed_reason']) ??
            'deletion failed in the original broker (migrated)',
        }),
      };
    case 'stale':
      return {
        kind: 'sandbox',
        source,
        item: baseItem(id, SandboxStatus.Stale, raw, nowS, {
          stale_since: num(raw['updated_at']) ?? num(raw['last_synced']) ?? nowS,
        }),
      };
    case 'deleted':
      return {
        kind: 'sandbox',
        source,
        item: baseItem(id, SandboxStatus.Deleted, raw, nowS, {
          ...ownerFields(),
          deleted_at: num(raw['deleted_at']) ?? num(raw['updated_at']) ?? nowS,
        }),
      };
    case undefined:
    default:
      return unmapped(`status ${JSON.stringify(raw['status'])} has no equivalent`);
  }
}

function baseItem(
  id: string,
  status: SandboxStatus,
  raw: Record<string, unknown>,
  nowS: number,
  extra: Partial<SandboxItem> = {},
): MigratedItem {
  const name = extra.name ?? str(raw['name']) ?? `sandbox-${id}`;
  const externalId = str(raw['external_id']) ?? '';
  const sfdc = str(raw['sfdc_account_id']);
  const lastSynced = num(raw['last_synced']);
  return {
    PK: sandboxPk(id),
    SK: SANDBOX_SK,
    sandbox_id: id,
    name,
    external_id: externalId,
    status,
    created_at: num(raw['created_at']) ?? nowS,
    updated_at: nowS,
    ...(lastSynced ? { last_synced_at: lastSynced } : {}),
    ...(sfdc ? { sfdc_account_id: sfdc } : {}),
    deletion_attempts: 0,
    ...extra,
    version: 1,
    status_pk: statusPkOf(status, id),
    status_sk: nameSortKey(name, id),
    ...externalIndexKeys(externalId, id),
    migrated_at: nowS,
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function notNA(value: unknown): string | undefined {
  const s = str(value);
  return s === NOT_AVAILABLE ? undefined : s;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}
