import {
  ALL_SANDBOX_STATUSES,
  type AllocationClaim,
  AllocationInProgressError,
  type AllocationRequest,
  type AllocationResult,
  CLAIM_POLICY,
  type ClaimRepairOutcome,
  type ClaimState,
  classifyClaim,
  type Clock,
  ConcurrentModificationError,
  InvalidCursorError,
  type LeasePolicy,
  leaseExpiry,
  type ListSandboxesQuery,
  NoSandboxesAvailableError,
  NotSandboxOwnerError,
  nowSeconds,
  type Page,
  type ProviderSandbox,
  type ProviderUpsertOutcome,
  type ReleaseResult,
  type Sandbox,
  SandboxNotFoundError,
  type SandboxRepository,
  SandboxStatus,
} from '@broker/domain';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand as QueryItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { lowLevelClientOf } from '../client/document-client';
import { decodeListCursor, encodeListCursor, type ListPosition } from '../cursor/list-cursor';
import {
  allocationSortKey,
  claimPk,
  nameOfSortKey,
  nameSortKey,
  SANDBOX_SK,
  sandboxIdOfPk,
  sandboxPk,
  statusPk,
  statusPkOf,
} from '../keys/item-keys';
import { ALL_SHARDS, shardLabel, shardOf } from '../keys/shard';
import {
  type ClaimItem,
  claimTypeKeys,
  isClaimItem,
  newClaimItem,
  toAllocationClaim,
  toClaimItem,
} from '../mapping/claim-item';
import { claimTokenOf, newAvailableItem, toSandbox } from '../mapping/sandbox-item';
import { INDEXES, KEY_ATTRIBUTES, SHARD_COUNT } from '../schema/table-schema';
import { fromAttributeMap, toAttributeMap } from './attribute-map';
import { type Candidate, CandidatePool, type CandidatePoolOptions } from './candidate-pool';

export interface DynamoSandboxRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly candidatePool?: Partial<CandidatePoolOptions>;
  /**
   * Called (synchronously) each time the conditional claim of a candidate sandbox loses to a
   * concurrent allocation and the next candidate is tried; for `broker_allocate_conflicts_total`.
   */
  readonly onContention?: () => void;
}

/** A claim this request currently writes under. */
interface HeldClaim {
  readonly pk: string;
  readonly token: string;
  readonly sandboxId: string;
  readonly deadlineMs: number;
  /** In the repair job's open-claims index (only after a takeover; see `takeOverClaim`). */
  readonly listed: boolean;
}

/** The claim put: ours now, or the student's existing claim (null when the engine did not say). */
type ClaimPut =
  { readonly held: HeldClaim } | { readonly held: null; readonly existing: ClaimItem | null };

type AttemptOutcome =
  { readonly kind: 'done'; readonly result: AllocationResult } | { readonly kind: 'lost' };

/** Conditional-failure rounds (claim vanished, taken over by another request) per allocation. */
const MAX_CLAIM_ROUNDS = 20;
/** Candidates tried under one claim before giving up with a retryable error. */
const MAX_CANDIDATE_ATTEMPTS = 64;
/** How often a repeat request re-reads an in-flight claim, and for how long at most. */
const CLAIM_POLL_MS = 15;
const MAX_CLAIM_WAIT_MS = CLAIM_POLICY.writerWindowMs + CLAIM_POLICY.takeoverMarginMs + 1_000;
/** Claims outlive their allocation by this much before DynamoDB's TTL removes them. */
const CLAIM_RETENTION_SECONDS = 7 * 24 * 3600;
const CANDIDATE_PAGE_SIZE = 100;
const COUNT_CONCURRENCY = 8;

const STATUS_INDEX_KEYS = [
  KEY_ATTRIBUTES.partition,
  KEY_ATTRIBUTES.sort,
  INDEXES.status.partitionKey,
  INDEXES.status.sortKey,
] as const;

/**
 * The sandbox pool in one DynamoDB table (see README.md): every state change is one single-item
 * conditional write, allocation is guarded by a per-student claim item, and all reads on request
 * paths are GetItem or index Queries.
 */
export class DynamoSandboxRepository implements SandboxRepository {
  private readonly client: DynamoDBDocumentClient;
  /** Allocation and release hot path: low-level commands, middleware resolved once per type. */
  private readonly fast: DynamoDBClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly lease: LeasePolicy;
  private readonly pool: CandidatePool;
  private readonly onContention: (() => void) | undefined;

  constructor(options: DynamoSandboxRepositoryOptions) {
    this.onContention = options.onContention;
    this.client = options.client;
    this.fast = lowLevelClientOf(options.client);
    this.tableName = options.tableName;
    this.clock = options.clock;
    this.lease = options.lease;
    this.pool = new CandidatePool(
      (prefix, exclude, want) => this.fetchCandidates(prefix, exclude, want),
      options.candidatePool,
    );
  }

  async allocate(request: AllocationRequest): Promise<AllocationResult> {
    const prefix = request.namePrefix ?? '';
    const pk = claimPk(request.studentId, request.idempotencyKey);
    const waitUntil = Date.now() + MAX_CLAIM_WAIT_MS;
    let claimExists = false;
    let rounds = 0;
    for (;;) {
      let candidate: Candidate | null = null;
      let existing: ClaimItem | null = null;
      if (!claimExists) {
        // Happy path: claim put + sandbox update, no read.
        candidate = await this.pool.take(prefix);
        if (candidate) {
          const put = await this.guard(candidate, this.putClaim(pk, request, candidate));
          if (put.held) {
            const outcome = await this.allocateUnderClaim(put.held, candidate, request);
            if (outcome.kind === 'done') return outcome.result;
          } else {
            this.pool.giveBack(candidate);
            existing = put.existing;
          }
        }
      }
      // A repeat: DynamoDB hands back the existing claim with the failed put; read it otherwise.
      const claim = existing ?? (await this.getClaim(pk));
      if (!claim) {
        if (!claimExists && !candidate) throw new NoSandboxesAvailableError(prefix || undefined);
        claimExists = false;
        rounds = this.nextRound(rounds);
        continue;
      }
      claimExists = true;
      const item = await this.getItem(claim.sandbox_id);
      const state = this.classify(claim, item);
      switch (state) {
        case 'held':
          return { sandbox: toSandbox(item as Record<string, unknown>), created: false };
        case 'in_flight':
          if (Date.now() > waitUntil) throw new AllocationInProgressError();
          await sleep(CLAIM_POLL_MS);
          continue;
        case 'spent':
        case 'abandoned': {
          const next = await this.pool.take(prefix);
          if (!next) throw new NoSandboxesAvailableError(prefix || undefined);
          const held = await this.guard(
            next,
            this.takeOverClaim(claim, next, state === 'abandoned'),
          );
          if (held) {
            const outcome = await this.allocateUnderClaim(held, next, request);
            if (outcome.kind === 'done') return outcome.result;
          } else {
            this.pool.giveBack(next);
          }
          rounds = this.nextRound(rounds);
          continue;
        }
      }
    }
  }

  async get(sandboxId: string): Promise<Sandbox | null> {
    const item = await this.getItem(sandboxId);
    return item ? toSandbox(item) : null;
  }

  async release(sandboxId: string, studentId: string): Promise<ReleaseResult> {
    const now = nowSeconds(this.clock);
    try {
      const { Attributes } = await this.fast.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributeMap(sandboxKey(sandboxId)),
          UpdateExpression:
            'SET #status = :pending, status_pk = :spk, deletion_requested_at = :now, updated_at = :now, version = version + :one',
          ConditionExpression: '#status = :allocated AND owner_id = :sid',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toAttributeMap({
            ':pending': SandboxStatus.PendingDeletion,
            ':allocated': SandboxStatus.Allocated,
            ':spk': statusPkOf(SandboxStatus.PendingDeletion, sandboxId),
            ':now': now,
            ':one': 1,
            ':sid': studentId,
          }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { sandbox: toSandbox(fromAttributeMap(Attributes) ?? {}), changed: true };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
    const item = await this.getItem(sandboxId);
    if (!item) throw new SandboxNotFoundError(sandboxId);
    const sandbox = toSandbox(item);
    if (sandbox.ownerId !== studentId) throw new NotSandboxOwnerError(sandboxId);
    // Owned by the caller and no longer allocated: an idempotent repeat.
    return { sandbox, changed: false };
  }

  async upsertFromProvider(provider: ProviderSandbox): Promise<ProviderUpsertOutcome> {
    const now = nowSeconds(this.clock);
    const shard = shardOf(provider.sandboxId);
    const sortKey = nameSortKey(provider.name, provider.sandboxId);
    const sfdc = provider.sfdcAccountId;
    // Existing rows first (the common case for sync): refresh available, revive stale.
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sandboxKey(provider.sandboxId),
          UpdateExpression:
            'SET #name = :name, external_id = :ext, created_at = :created, last_synced_at = :now, ' +
            'updated_at = :now, #status = :available, status_pk = :spk, status_sk = :sk, ' +
            'version = version + :one' +
            (sfdc
              ? ', sfdc_account_id = :sfdc REMOVE stale_since'
              : ' REMOVE stale_since, sfdc_account_id'),
          ConditionExpression: 'attribute_exists(PK) AND #status IN (:available, :stale)',
          ExpressionAttributeNames: { '#name': 'name', '#status': 'status' },
          ExpressionAttributeValues: {
            ':name': provider.name,
            ':ext': provider.externalId,
            ':created': provider.createdAt,
            ':now': now,
            ':available': SandboxStatus.Available,
            ':stale': SandboxStatus.Stale,
            ':spk': statusPk(SandboxStatus.Available, shard),
            ':sk': sortKey,
            ':one': 1,
            ...(sfdc ? { ':sfdc': sfdc } : {}),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return Attributes?.['status'] === SandboxStatus.Stale ? 'revived' : 'refreshed';
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: newAvailableItem(provider, now),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return 'inserted';
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // Allocated or later, or a tombstone: sync never touches it.
      return 'untouched';
    }
  }

  async list(query: ListSandboxesQuery): Promise<Page<Sandbox>> {
    const prefix = query.namePrefix ?? '';
    const limit = Math.min(Math.max(Math.floor(query.limit) || 1, 1), 1000);
    const filter = `${query.status}|${prefix}`;
    const start: ListPosition =
      query.cursor === undefined
        ? { shard: 0, lastKey: null }
        : decodeListCursor(query.cursor, filter, STATUS_INDEX_KEYS);
    if (
      start.lastKey &&
      (start.lastKey[INDEXES.status.partitionKey] !==
        statusPk(query.status, shardLabel(start.shard)) ||
        !(start.lastKey[INDEXES.status.sortKey] ?? '').startsWith(prefix))
    ) {
      throw new InvalidCursorError();
    }
    const items: Sandbox[] = [];
    let shard = start.shard;
    let lastKey = start.lastKey;
    while (shard < SHARD_COUNT) {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.status.name,
          KeyConditionExpression: prefix
            ? 'status_pk = :pk AND begins_with(status_sk, :prefix)'
            : 'status_pk = :pk',
          ExpressionAttributeValues: {
            ':pk': statusPk(query.status, shardLabel(shard)),
            ...(prefix ? { ':prefix': prefix } : {}),
          },
          Limit: limit - items.length,
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        }),
      );
      for (const raw of page.Items ?? []) {
        const sandbox = toSandbox(raw);
        if (sandbox.name.startsWith(prefix)) items.push(sandbox);
      }
      lastKey = (page.LastEvaluatedKey as Record<string, string> | undefined) ?? null;
      if (items.length >= limit) {
        if (lastKey) return { items, cursor: encodeListCursor(filter, { shard, lastKey }) };
        const next = shard + 1;
        return {
          items,
          cursor:
            next < SHARD_COUNT ? encodeListCursor(filter, { shard: next, lastKey: null }) : null,
        };
      }
      if (!lastKey) shard += 1;
    }
    return { items, cursor: null };
  }

  async countByStatus(): Promise<Record<SandboxStatus, number>> {
    const counts = Object.fromEntries(ALL_SANDBOX_STATUSES.map((s) => [s, 0])) as Record<
      SandboxStatus,
      number
    >;
    const work = ALL_SANDBOX_STATUSES.flatMap((status) =>
      ALL_SHARDS.map((shard) => ({ status, shard })),
    );
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const unit = work[next++];
        if (!unit) return;
        // Read first: `counts[x] += await …` would add to a value read before the await.
        const count = await this.countPartition(unit.status, unit.shard);
        counts[unit.status] += count;
      }
    };
    await Promise.all(Array.from({ length: COUNT_CONCURRENCY }, worker));
    return counts;
  }

  async listOpenClaims(olderThanMs: number, limit: number): Promise<AllocationClaim[]> {
    const claims: AllocationClaim[] = [];
    const bound = String(Math.max(0, Math.floor(olderThanMs))).padStart(13, '0');
    for (const shard of ALL_SHARDS) {
      let lastKey: Record<string, unknown> | undefined;
      do {
        if (claims.length >= limit) return claims;
        const page: QueryCommandOutput = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: INDEXES.type.name,
            KeyConditionExpression: 'type_pk = :pk AND type_sk < :bound',
            ExpressionAttributeValues: { ':pk': `CLAIM#${shard}`, ':bound': bound },
            Limit: limit - claims.length,
            ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
          }),
        );
        for (const raw of page.Items ?? []) claims.push(toAllocationClaim(toClaimItem(raw)));
        lastKey = page.LastEvaluatedKey;
      } while (lastKey);
    }
    return claims;
  }

  async repairClaim(claim: AllocationClaim): Promise<ClaimRepairOutcome> {
    const current = await this.getClaim(claimPk(claim.studentId, claim.idempotencyKey));
    if (!current || current.token !== claim.token || current.sandbox_id !== claim.sandboxId) {
      return 'skipped';
    }
    const state = this.classify(current, await this.getItem(current.sandbox_id));
    if (state === 'in_flight') return 'skipped';
    await this.releaseOrphans(current);
    const condition = {
      ConditionExpression: '#token = :token AND sandbox_id = :sid AND deadline_ms = :deadline',
      ExpressionAttributeNames: { '#token': 'token' },
    };
    const values = {
      ':token': current.token,
      ':sid': current.sandbox_id,
      ':deadline': current.deadline_ms,
    };
    try {
      if (state === 'abandoned') {
        // The writer died before taking a sandbox: the student's next request starts clean.
        await this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { PK: current.PK, SK: current.SK },
            ...condition,
            ExpressionAttributeValues: values,
          }),
        );
        return 'abandoned';
      }
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: current.PK, SK: current.SK },
          UpdateExpression: 'SET superseded = :none REMOVE type_pk, type_sk',
          ...condition,
          ExpressionAttributeValues: { ...values, ':none': [] },
        }),
      );
      return 'confirmed';
    } catch (error) {
      if (isConditionalFailure(error)) return 'skipped';
      throw error;
    }
  }

  async ping(): Promise<void> {
    await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: 'PING', SK: 'PING' } }),
    );
  }

  /**
   * Step 3/4 of the protocol: take `candidate` under the held claim; on a lost race point the
   * claim at the next candidate and try again. A sandbox is never written after the claim's
   * deadline; the claim itself may be extended, fenced by its token and deadline.
   */
  private async allocateUnderClaim(
    initial: HeldClaim,
    first: Candidate,
    request: AllocationRequest,
  ): Promise<AttemptOutcome> {
    const prefix = request.namePrefix ?? '';
    let held = initial;
    let candidate = first;
    for (let attempt = 0; attempt < MAX_CANDIDATE_ATTEMPTS; attempt += 1) {
      if (this.clock.nowMs() >= held.deadlineMs) {
        const extended = await this.guard(candidate, this.pointClaim(held, candidate));
        if (!extended) {
          this.pool.giveBack(candidate);
          return { kind: 'lost' };
        }
        held = extended;
      }
      const sandbox = await this.guard(candidate, this.takeSandbox(candidate, held, request));
      this.pool.markTaken(candidate);
      if (sandbox) return { kind: 'done', result: { sandbox, created: true } };
      this.onContention?.();
      const next = await this.pool.take(prefix);
      if (!next) {
        await this.dropClaim(held);
        throw new NoSandboxesAvailableError(prefix || undefined);
      }
      const moved = await this.guard(next, this.pointClaim(held, next));
      if (!moved) {
        this.pool.giveBack(next);
        return { kind: 'lost' };
      }
      held = moved;
      candidate = next;
    }
    this.pool.giveBack(candidate);
    throw new ConcurrentModificationError('The sandbox pool');
  }

  /** The conditional write that makes a sandbox the student's: status must still be available. */
  private async takeSandbox(
    candidate: Candidate,
    held: HeldClaim,
    request: AllocationRequest,
  ): Promise<Sandbox | null> {
    const now = nowSeconds(this.clock);
    const prefix = request.namePrefix ?? '';
    const track = request.trackName ? request.trackName : undefined;
    const ownerSk = allocationSortKey(now, candidate.id);
    try {
      const { Attributes } = await this.fast.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributeMap(sandboxKey(candidate.id)),
          UpdateExpression:
            'SET #status = :allocated, status_pk = :spk, owner_id = :sid, idempotency_key = :key, ' +
            'claim_token = :token, allocated_at = :now, expires_at = :expires, updated_at = :now, ' +
            'version = version + :one, owner_pk = :sid, owner_sk = :osk' +
            (track ? ', track_name = :track, track_pk = :track, track_sk = :osk' : ''),
          ConditionExpression: prefix
            ? '#status = :available AND begins_with(#name, :prefix)'
            : '#status = :available',
          ExpressionAttributeNames: { '#status': 'status', ...(prefix ? { '#name': 'name' } : {}) },
          ExpressionAttributeValues: toAttributeMap({
            ':allocated': SandboxStatus.Allocated,
            ':available': SandboxStatus.Available,
            ':spk': statusPkOf(SandboxStatus.Allocated, candidate.id),
            ':sid': request.studentId,
            ':key': request.idempotencyKey,
            ':token': held.token,
            ':now': now,
            ':expires': leaseExpiry(now, this.lease),
            ':one': 1,
            ':osk': ownerSk,
            ...(track ? { ':track': track } : {}),
            ...(prefix ? { ':prefix': prefix } : {}),
          }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toSandbox(fromAttributeMap(Attributes) ?? {});
    } catch (error) {
      if (isConditionalFailure(error)) return null;
      throw error;
    }
  }

  /**
   * Step 2: create the claim. When the student's claim already exists, DynamoDB returns it with
   * the conditional failure (`ReturnValuesOnConditionCheckFailure`), which saves a repeat request
   * its claim read; engines that ignore the option (dynalite) return nothing and the caller reads.
   */
  private async putClaim(
    pk: string,
    request: AllocationRequest,
    candidate: Candidate,
  ): Promise<ClaimPut> {
    const nowMs = this.clock.nowMs();
    const item = newClaimItem({
      studentId: request.studentId,
      idempotencyKey: request.idempotencyKey,
      sandboxId: candidate.id,
      token: randomUUID(),
      nowMs,
      deadlineMs: nowMs + CLAIM_POLICY.writerWindowMs,
      ttl: this.claimTtl(nowMs),
    });
    try {
      await this.fast.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({ ...item }),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return {
        held: {
          pk,
          token: item.token,
          sandboxId: item.sandbox_id,
          deadlineMs: item.deadline_ms,
          listed: false,
        },
      };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const old = fromAttributeMap((error as { Item?: Record<string, AttributeValue> }).Item);
      return { held: null, existing: old && isClaimItem(old) ? toClaimItem(old) : null };
    }
  }

  /**
   * Point our claim at another candidate with a fresh deadline; null when it is no longer ours.
   * A listed claim keeps its open-claims index entry in step with the new deadline.
   */
  private async pointClaim(held: HeldClaim, candidate: Candidate): Promise<HeldClaim | null> {
    const deadlineMs = this.clock.nowMs() + CLAIM_POLICY.writerWindowMs;
    const typeKeys = held.listed ? claimTypeKeys(held.pk, deadlineMs) : null;
    try {
      await this.fast.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributeMap({ PK: held.pk, SK: 'CLAIM' }),
          UpdateExpression:
            'SET sandbox_id = :sid, deadline_ms = :deadline' +
            (typeKeys ? ', type_pk = :tpk, type_sk = :tsk' : ''),
          ConditionExpression: '#token = :token AND deadline_ms = :old',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: toAttributeMap({
            ':sid': candidate.id,
            ':deadline': deadlineMs,
            ...(typeKeys ? { ':tpk': typeKeys.type_pk, ':tsk': typeKeys.type_sk } : {}),
            ':token': held.token,
            ':old': held.deadlineMs,
          }),
        }),
      );
      return { ...held, sandboxId: candidate.id, deadlineMs };
    } catch (error) {
      if (isConditionalFailure(error)) return null;
      throw error;
    }
  }

  /**
   * Step 5: take over a spent claim (its allocation ended) or an abandoned one (its writer died),
   * fenced by everything we read. An abandoned writer's candidate is remembered with its token so
   * the repair job can release it if that writer wakes up and still takes it; that is why a
   * claim taken over from a dead writer (and only such a claim) is listed in the open-claims
   * index until the job has dealt with it. A first allocation's claim is not: if its writer dies,
   * the student's next request takes it over, and nothing else can be left behind, so the happy
   * path writes no index entry and the repair job no confirmation.
   */
  private async takeOverClaim(
    claim: ClaimItem,
    candidate: Candidate,
    abandoned: boolean,
  ): Promise<HeldClaim | null> {
    const nowMs = this.clock.nowMs();
    const token = randomUUID();
    const deadlineMs = nowMs + CLAIM_POLICY.writerWindowMs;
    // Listed from an abandoned takeover on, until the repair job has dealt with its history.
    const listed = abandoned || claim.type_pk !== undefined;
    const typeKeys = listed ? claimTypeKeys(claim.PK, deadlineMs) : null;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: claim.PK, SK: claim.SK },
          UpdateExpression:
            'SET #token = :new, sandbox_id = :sid, deadline_ms = :deadline, #ttl = :ttl' +
            (typeKeys ? ', type_pk = :tpk, type_sk = :tsk' : '') +
            (abandoned ? ', superseded = list_append(if_not_exists(superseded, :none), :old)' : ''),
          ConditionExpression:
            '#token = :token AND sandbox_id = :oldSid AND deadline_ms = :oldDeadline',
          ExpressionAttributeNames: { '#token': 'token', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':new': token,
            ':sid': candidate.id,
            ':deadline': deadlineMs,
            ...(typeKeys ? { ':tpk': typeKeys.type_pk, ':tsk': typeKeys.type_sk } : {}),
            ':ttl': this.claimTtl(nowMs),
            ':token': claim.token,
            ':oldSid': claim.sandbox_id,
            ':oldDeadline': claim.deadline_ms,
            ...(abandoned
              ? { ':none': [], ':old': [{ sandbox_id: claim.sandbox_id, token: claim.token }] }
              : {}),
          },
        }),
      );
      return { pk: claim.PK, token, sandboxId: candidate.id, deadlineMs, listed };
    } catch (error) {
      if (isConditionalFailure(error)) return null;
      throw error;
    }
  }

  /** Remove our claim when the pool ran dry under it, so a retry is not kept waiting. */
  private async dropClaim(held: HeldClaim): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: held.pk, SK: 'CLAIM' },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': held.token },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }

  /** Superseded candidates still allocated under a dead writer's token go to deletion. */
  private async releaseOrphans(claim: ClaimItem): Promise<void> {
    const now = nowSeconds(this.clock);
    for (const orphan of claim.superseded) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sandboxKey(orphan.sandbox_id),
            UpdateExpression:
              'SET #status = :pending, status_pk = :spk, deletion_requested_at = :now, updated_at = :now, version = version + :one',
            ConditionExpression: '#status = :allocated AND claim_token = :token',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pending': SandboxStatus.PendingDeletion,
              ':allocated': SandboxStatus.Allocated,
              ':spk': statusPkOf(SandboxStatus.PendingDeletion, orphan.sandbox_id),
              ':now': now,
              ':one': 1,
              ':token': orphan.token,
            },
          }),
        );
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
    }
  }

  private classify(claim: ClaimItem, item: Record<string, unknown> | null): ClaimState {
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
      this.clock.nowMs(),
    );
  }

  /**
   * Candidate refill: the StatusIndex's `available` shards from a random one until `want` are
   * found, keys only (the index projects whole rows; a candidate needs its id and name).
   */
  private async fetchCandidates(
    prefix: string,
    exclude: (id: string) => boolean,
    want: number,
  ): Promise<Candidate[]> {
    const found: Candidate[] = [];
    const first = randomInt(SHARD_COUNT);
    for (let i = 0; i < SHARD_COUNT && found.length < want; i += 1) {
      const shard = shardLabel((first + i) % SHARD_COUNT);
      let lastKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.fast.send(
          new QueryItemsCommand({
            TableName: this.tableName,
            IndexName: INDEXES.status.name,
            KeyConditionExpression: prefix
              ? 'status_pk = :pk AND begins_with(status_sk, :prefix)'
              : 'status_pk = :pk',
            ProjectionExpression: 'PK, status_sk',
            ExpressionAttributeValues: toAttributeMap({
              ':pk': statusPk(SandboxStatus.Available, shard),
              ...(prefix ? { ':prefix': prefix } : {}),
            }),
            Limit: CANDIDATE_PAGE_SIZE,
            ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
          }),
        );
        // String keys: read them straight from the attribute values.
        for (const raw of page.Items ?? []) {
          const id = sandboxIdOfPk(raw[KEY_ATTRIBUTES.partition]?.S ?? '');
          const name = nameOfSortKey(raw[INDEXES.status.sortKey]?.S ?? '');
          if (id && name.startsWith(prefix) && !exclude(id)) found.push({ id, name });
        }
        lastKey = page.LastEvaluatedKey;
      } while (lastKey && found.length < want);
    }
    return found;
  }

  private async countPartition(status: SandboxStatus, shard: string): Promise<number> {
    let total = 0;
    let lastKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.status.name,
          KeyConditionExpression: 'status_pk = :pk',
          ExpressionAttributeValues: { ':pk': statusPk(status, shard) },
          Select: 'COUNT',
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        }),
      );
      total += page.Count ?? 0;
      lastKey = page.LastEvaluatedKey;
    } while (lastKey);
    return total;
  }

  private async getItem(sandboxId: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.fast.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toAttributeMap(sandboxKey(sandboxId)),
        ConsistentRead: true,
      }),
    );
    return fromAttributeMap(Item) ?? null;
  }

  private async getClaim(pk: string): Promise<ClaimItem | null> {
    const { Item } = await this.fast.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toAttributeMap({ PK: pk, SK: 'CLAIM' }),
        ConsistentRead: true,
      }),
    );
    const claim = fromAttributeMap(Item);
    return claim ? toClaimItem(claim) : null;
  }

  private claimTtl(nowMs: number): number {
    return (
      Math.floor(nowMs / 1000) +
      this.lease.leaseSeconds +
      this.lease.graceSeconds +
      CLAIM_RETENTION_SECONDS
    );
  }

  /** An unexpected error must not leave the candidate marked in flight. */
  private async guard<T>(candidate: Candidate, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      this.pool.giveBack(candidate);
      throw error;
    }
  }

  private nextRound(rounds: number): number {
    if (rounds + 1 >= MAX_CLAIM_ROUNDS)
      throw new ConcurrentModificationError('The allocation claim');
    return rounds + 1;
  }
}

function sandboxKey(sandboxId: string): { PK: string; SK: string } {
  return { PK: sandboxPk(sandboxId), SK: SANDBOX_SK };
}

export function isConditionalFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'ConditionalCheckFailedException'
  );
}
