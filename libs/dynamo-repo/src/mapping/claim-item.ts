import { type AllocationClaim, type ClaimState, classifyClaim } from '@broker/domain';
import { claimTokenOf, toSandbox } from './sandbox-item';
import { CLAIM_SK, claimPk, claimTypePk, claimTypeSk } from '../keys/item-keys';
import { shardOf } from '../keys/shard';

/** A candidate an earlier writer of the claim may still take, with that writer's token. */
export interface SupersededEntry {
  sandbox_id: string;
  token: string;
}

/** The allocation claim item: one per student id + idempotency key. */
export interface ClaimItem {
  PK: string;
  SK: string;
  student_id: string;
  idempotency_key: string;
  sandbox_id: string;
  token: string;
  created_at_ms: number;
  deadline_ms: number;
  superseded: SupersededEntry[];
  /** Epoch seconds; DynamoDB TTL removes the claim long after its allocation has ended. */
  ttl: number;
  /**
   * Present while the claim is listed for the repair job: from a takeover (its history may hold a
   * presumed-dead writer's late sandbox) until the job confirms or removes it.
   */
  type_pk?: string;
  type_sk?: string;
}

export interface NewClaim {
  readonly studentId: string;
  readonly idempotencyKey: string;
  readonly sandboxId: string;
  readonly token: string;
  readonly nowMs: number;
  readonly deadlineMs: number;
  readonly ttl: number;
  /** List it for the repair job (a takeover; tests planting a crashed writer's claim). */
  readonly listed?: boolean;
}

export function newClaimItem(claim: NewClaim): ClaimItem {
  const pk = claimPk(claim.studentId, claim.idempotencyKey);
  return {
    PK: pk,
    SK: CLAIM_SK,
    student_id: claim.studentId,
    idempotency_key: claim.idempotencyKey,
    sandbox_id: claim.sandboxId,
    token: claim.token,
    created_at_ms: claim.nowMs,
    deadline_ms: claim.deadlineMs,
    superseded: [],
    ttl: claim.ttl,
    ...(claim.listed === true ? claimTypeKeys(pk, claim.deadlineMs) : {}),
  };
}

/** TypeIndex keys that list an open claim in deadline order. */
export function claimTypeKeys(
  pk: string,
  deadlineMs: number,
): { type_pk: string; type_sk: string } {
  return { type_pk: claimTypePk(shardOf(pk)), type_sk: claimTypeSk(deadlineMs, pk) };
}

export function isClaimItem(raw: Record<string, unknown>): boolean {
  return (
    typeof raw['student_id'] === 'string' &&
    typeof raw['token'] === 'string' &&
    typeof raw['sandbox_id'] === 'string'
  );
}

export function toClaimItem(raw: Record<string, unknown>): ClaimItem {
  if (!isClaimItem(raw)) throw new Error(`Not a claim item: ${String(raw['PK'])}`);
  const item = raw as unknown as ClaimItem;
  return { ...item, superseded: Array.isArray(item.superseded) ? item.superseded : [] };
}

export function toAllocationClaim(item: ClaimItem): AllocationClaim {
  return {
    studentId: item.student_id,
    idempotencyKey: item.idempotency_key,
    sandboxId: item.sandbox_id,
    token: item.token,
    createdAt: item.created_at_ms,
    deadlineMs: item.deadline_ms,
    supersededSandboxIds: item.superseded.map((s) => s.sandbox_id),
  };
}

/** Where a stored claim stands against the row it points at (see `classifyClaim`). */
export function classifyClaimItem(
  claim: ClaimItem,
  item: Record<string, unknown> | null,
  nowMs: number,
): ClaimState {
  const view = item
    ? {
        status: toSandbox(item).status,
        ownerId: typeof item['owner_id'] === 'string' ? item['owner_id'] : undefined,
        claimToken: claimTokenOf(item),
      }
    : null;
  return classifyClaim(
    { studentId: claim.student_id, token: claim.token, deadlineMs: claim.deadline_ms },
    view,
    nowMs,
  );
}
