import { externalAccountKey, type SandboxStatus } from '@broker/domain';
import { shardOf } from './shard';

/** Sort key of every sandbox item. */
export const SANDBOX_SK = 'META';
/** Sort key of every claim item. */
export const CLAIM_SK = 'CLAIM';

const SANDBOX_PREFIX = 'SBX#';
const CLAIM_PREFIX = 'CLAIM#';

export function sandboxPk(sandboxId: string): string {
  return `${SANDBOX_PREFIX}${sandboxId}`;
}

export function sandboxIdOfPk(pk: string): string | null {
  return pk.startsWith(SANDBOX_PREFIX) ? pk.slice(SANDBOX_PREFIX.length) : null;
}

/**
 * `%` and `#` escaped so that joining parts with `#` stays unambiguous: student `a#b` with key `c`
 * and student `a` with key `b#c` must never share a claim.
 */
export function escapeKeyPart(part: string): string {
  return part.replace(/%/g, '%25').replace(/#/g, '%23');
}

export function claimPk(studentId: string, idempotencyKey: string): string {
  return `${CLAIM_PREFIX}${escapeKeyPart(studentId)}#${escapeKeyPart(idempotencyKey)}`;
}

/** `<name>#<sandboxId>`: the sort key of the status index. */
export function nameSortKey(name: string, sandboxId: string): string {
  return `${name}#${sandboxId}`;
}

/** The name part of a `nameSortKey` (ids never contain `#`, so the last `#` separates them). */
export function nameOfSortKey(sortKey: string): string {
  const at = sortKey.lastIndexOf('#');
  return at < 0 ? sortKey : sortKey.slice(0, at);
}

export function statusPk(status: SandboxStatus, shard: string): string {
  return `${status}#${shard}`;
}

export function statusPkOf(status: SandboxStatus, sandboxId: string): string {
  return statusPk(status, shardOf(sandboxId));
}

/** Zero-padded so that string order is numeric order. */
export function padNumber(value: number, width: number): string {
  return String(Math.max(0, Math.floor(value))).padStart(width, '0');
}

/** `<allocatedAt, 10 digits>#<sandboxId>`: owner and track index sort key. */
export function allocationSortKey(allocatedAt: number, sandboxId: string): string {
  return `${padNumber(allocatedAt, 10)}#${sandboxId}`;
}

export function claimTypePk(shard: string): string {
  return `CLAIM#${shard}`;
}

/** `<deadlineMs, 13 digits>#<claim PK>`: open claims in deadline order. */
export function claimTypeSk(deadlineMs: number, pk: string): string {
  return `${padNumber(deadlineMs, 13)}#${pk}`;
}

/**
 * ExternalIndex keys of a sandbox row: its provider account uuid (lower case) → its id; `null`
 * when the external id holds no account uuid (the row is then simply not in the index).
 */
export function externalIndexKeys(
  externalId: string,
  sandboxId: string,
): { external_pk: string; external_sk: string } | null {
  const key = externalAccountKey(externalId);
  return key === null ? null : { external_pk: key, external_sk: sandboxId };
}

/** Per-track quota items: the counter (`QUOTA`) and its listing entry (`REG`). */
export const TRACK_QUOTA_SK = 'QUOTA';
export const TRACK_QUOTA_REGISTRY_SK = 'REG';
/** TypeIndex partition listing every quota's registry entry (`type_sk` = the slug). */
export const TRACK_QUOTA_TYPE_PK = 'TRACKQ';

export function trackQuotaPk(track: string): string {
  return `TRACKQ#${escapeKeyPart(track)}`;
}
