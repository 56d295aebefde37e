import { isSandboxStatus, type ProviderSandbox, type Sandbox, SandboxStatus } from '@broker/domain';
import { externalIndexKeys, nameSortKey, SANDBOX_SK, sandboxPk, statusPk } from '../keys/item-keys';
import { shardOf } from '../keys/shard';

/** A sandbox row as stored: snake_case attributes plus the index key attributes. */
export interface SandboxItem {
  PK: string;
  SK: string;
  sandbox_id: string;
  name: string;
  external_id: string;
  status: string;
  created_at: number;
  updated_at: number;
  last_synced_at?: number;
  sfdc_account_id?: string;
  owner_id?: string;
  idempotency_key?: string;
  track_name?: string;
  allocated_at?: number;
  expires_at?: number;
  extension_count?: number;
  deletion_requested_at?: number;
  deletion_attempts?: number;
  next_attempt_at?: number;
  last_error?: string;
  quarantine_reason?: string;
  deleted_at?: number;
  stale_since?: number;
  reservation_id?: string;
  claim_token?: string;
  version: number;
  status_pk?: string;
  status_sk?: string;
  owner_pk?: string;
  owner_sk?: string;
  track_pk?: string;
  track_sk?: string;
  external_pk?: string;
  external_sk?: string;
}

/** A new available row for a sandbox the provider lists (index attributes included). */
export function newAvailableItem(
  provider: ProviderSandbox,
  now: number,
  writeId?: string,
): SandboxItem {
  const shard = shardOf(provider.sandboxId);
  const sortKey = nameSortKey(provider.name, provider.sandboxId);
  return {
    PK: sandboxPk(provider.sandboxId),
    SK: SANDBOX_SK,
    sandbox_id: provider.sandboxId,
    name: provider.name,
    external_id: provider.externalId,
    status: SandboxStatus.Available,
    created_at: provider.createdAt,
    updated_at: now,
    last_synced_at: now,
    ...(provider.sfdcAccountId ? { sfdc_account_id: provider.sfdcAccountId } : {}),
    deletion_attempts: 0,
    version: 1,
    status_pk: statusPk(SandboxStatus.Available, shard),
    status_sk: sortKey,
    ...externalIndexKeys(provider.externalId, provider.sandboxId),
    ...(writeId ? { write_id: writeId } : {}),
  };
}

/** The claim token the row was allocated under, if any (not part of the domain view). */
export function claimTokenOf(item: Record<string, unknown>): string | undefined {
  return typeof item['claim_token'] === 'string' ? item['claim_token'] : undefined;
}

export function toSandbox(raw: Record<string, unknown>): Sandbox {
  const item = raw as Partial<SandboxItem>;
  if (typeof item.sandbox_id !== 'string' || !isSandboxStatus(item.status)) {
    throw new Error(`Not a sandbox item: ${String(item.PK)}`);
  }
  return {
    sandboxId: item.sandbox_id,
    name: item.name ?? '',
    externalId: item.external_id ?? '',
    createdAt: item.created_at ?? 0,
    sfdcAccountId: item.sfdc_account_id ?? null,
    status: item.status,
    updatedAt: item.updated_at ?? 0,
    deletionAttempts: item.deletion_attempts ?? 0,
    version: item.version ?? 0,
    ...optional('lastSyncedAt', item.last_synced_at),
    ...optional('ownerId', item.owner_id),
    ...optional('idempotencyKey', item.idempotency_key),
    ...optional('trackName', item.track_name),
    ...optional('allocatedAt', item.allocated_at),
    ...optional('expiresAt', item.expires_at),
    ...optional('extensionCount', item.extension_count),
    ...optional('deletionRequestedAt', item.deletion_requested_at),
    ...optional('nextAttemptAt', item.next_attempt_at),
    ...optional('lastError', item.last_error),
    ...optional('quarantineReason', item.quarantine_reason),
    ...optional('deletedAt', item.deleted_at),
    ...optional('staleSince', item.stale_since),
    ...optional('reservationId', item.reservation_id),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
