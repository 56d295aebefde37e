import { type AllocationRequest, CLAIM_POLICY, type Clock, type LeasePolicy } from '@broker/domain';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { fromAttributeMap, toAttributeMap } from '../client/attribute-map';
import { isConditionalFailure, ownEarlierWrite, unlessConditionFails } from '../client/conditional';
import { CLAIM_SK } from '../keys/item-keys';
import {
  type ClaimItem,
  claimTypeKeys,
  isClaimItem,
  newClaimItem,
  toClaimItem,
} from '../mapping/claim-item';

/** Claims outlive their allocation by this much before DynamoDB's TTL removes them. */
export const CLAIM_RETENTION_SECONDS = 7 * 24 * 3600;

/** A claim this request currently writes under. */
export interface HeldClaim {
  readonly pk: string;
  readonly token: string;
  readonly sandboxId: string;
  readonly deadlineMs: number;
  /** In the repair job's open-claims index (only after a takeover; see `takeOver`). */
  readonly listed: boolean;
}

/** The claim put: ours now, or the student's existing claim (null when the engine did not say). */
export type ClaimPut =
  { readonly held: HeldClaim } | { readonly held: null; readonly existing: ClaimItem | null };

export interface ClaimWritesOptions {
  readonly client: DynamoDBDocumentClient;
  readonly fast: DynamoDBClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
}

/**
 * The claim item's reads and writes (libs/dynamo-repo/README.md, steps 2–5): each write is
 * conditional on what the writer last read (token, sandbox, deadline), so a claim has one writer.
 */
export class ClaimWrites {
  constructor(private readonly options: ClaimWritesOptions) {}

  async get(pk: string): Promise<ClaimItem | null> {
    const { Item } = await this.options.fast.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: toAttributeMap({ PK: pk, SK: CLAIM_SK }),
        ConsistentRead: true,
      }),
    );
    const claim = fromAttributeMap(Item);
    return claim ? toClaimItem(claim) : null;
  }

  /**
   * Step 2: create the claim. When the student's claim already exists, DynamoDB returns it with
   * the conditional failure (`ReturnValuesOnConditionCheckFailure`), which saves a repeat request
   * its claim read; engines that ignore the option (dynalite) return nothing and the caller reads.
   */
  async put(pk: string, request: AllocationRequest, sandboxId: string): Promise<ClaimPut> {
    const nowMs = this.options.clock.nowMs();
    const item = newClaimItem({
      studentId: request.studentId,
      idempotencyKey: request.idempotencyKey,
      sandboxId,
      token: randomUUID(),
      nowMs,
      deadlineMs: nowMs + CLAIM_POLICY.writerWindowMs,
      ttl: this.ttl(nowMs),
    });
    try {
      await this.options.fast.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toAttributeMap({ ...item }),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const held = { pk, token: item.token, sandboxId, deadlineMs: item.deadline_ms };
      return { held: { ...held, listed: false } };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const old = fromAttributeMap((error as { Item?: Record<string, AttributeValue> }).Item);
      const existing = old && isClaimItem(old) ? toClaimItem(old) : null;
      // Our own first attempt, applied with its answer lost: the claim is ours.
      const ours =
        existing?.token === item.token
          ? existing
          : await ownEarlierWrite(
              error,
              () => this.get(pk),
              (claim) => claim.token === item.token,
            );
      if (ours)
        return {
          held: { pk, token: item.token, sandboxId, deadlineMs: item.deadline_ms, listed: false },
        };
      return { held: null, existing };
    }
  }

  /**
   * Point our claim at another candidate with a fresh deadline; null when it is no longer ours.
   * A listed claim keeps its open-claims index entry in step with the new deadline.
   */
  async point(held: HeldClaim, sandboxId: string): Promise<HeldClaim | null> {
    const deadlineMs = this.options.clock.nowMs() + CLAIM_POLICY.writerWindowMs;
    const typeKeys = held.listed ? claimTypeKeys(held.pk, deadlineMs) : null;
    const done = await this.recognised(
      held.pk,
      (claim) => claim.token === held.token && claim.deadline_ms === deadlineMs,
      this.options.fast.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: toAttributeMap({ PK: held.pk, SK: CLAIM_SK }),
          UpdateExpression:
            'SET sandbox_id = :sid, deadline_ms = :deadline' +
            (typeKeys ? ', type_pk = :tpk, type_sk = :tsk' : ''),
          ConditionExpression: '#token = :token AND deadline_ms = :old',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: toAttributeMap({
            ':sid': sandboxId,
            ':deadline': deadlineMs,
            ...(typeKeys ? { ':tpk': typeKeys.type_pk, ':tsk': typeKeys.type_sk } : {}),
            ':token': held.token,
            ':old': held.deadlineMs,
          }),
        }),
      ),
    );
    return done ? { ...held, sandboxId, deadlineMs } : null;
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
  async takeOver(
    claim: ClaimItem,
    sandboxId: string,
    abandoned: boolean,
  ): Promise<HeldClaim | null> {
    const nowMs = this.options.clock.nowMs();
    const token = randomUUID();
    const deadlineMs = nowMs + CLAIM_POLICY.writerWindowMs;
    // Listed from an abandoned takeover on, until the repair job has dealt with its history.
    const listed = abandoned || claim.type_pk !== undefined;
    const typeKeys = listed ? claimTypeKeys(claim.PK, deadlineMs) : null;
    const done = await this.recognised(
      claim.PK,
      (current) => current.token === token,
      this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
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
            ':sid': sandboxId,
            ':deadline': deadlineMs,
            ...(typeKeys ? { ':tpk': typeKeys.type_pk, ':tsk': typeKeys.type_sk } : {}),
            ':ttl': this.ttl(nowMs),
            ':token': claim.token,
            ':oldSid': claim.sandbox_id,
            ':oldDeadline': claim.deadline_ms,
            ...(abandoned
              ? { ':none': [], ':old': [{ sandbox_id: claim.sandbox_id, token: claim.token }] }
              : {}),
          },
        }),
      ),
    );
    return done ? { pk: claim.PK, token, sandboxId, deadlineMs, listed } : null;
  }

  /** Remove our claim when the pool ran dry under it, so a retry is not kept waiting. */
  async drop(held: HeldClaim): Promise<void> {
    await unlessConditionFails(
      this.options.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: { PK: held.pk, SK: CLAIM_SK },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': held.token },
        }),
      ),
      null,
    );
  }

  /** The write's outcome: done, or refused — unless the refusal met our own earlier attempt. */
  private async recognised(
    pk: string,
    isOurs: (claim: ClaimItem) => boolean,
    write: Promise<unknown>,
  ): Promise<boolean> {
    try {
      await write;
      return true;
    } catch (error) {
      return (await ownEarlierWrite(error, () => this.get(pk), isOurs)) !== null;
    }
  }

  private ttl(nowMs: number): number {
    const { leaseSeconds, graceSeconds } = this.options.lease;
    return Math.floor(nowMs / 1000) + leaseSeconds + graceSeconds + CLAIM_RETENTION_SECONDS;
  }
}
