import {
  type AllocationClaim,
  type ClaimRepairOutcome,
  type ClaimRepairRepository,
  type Clock,
  SandboxStatus,
} from '@broker/domain';
import {
  DeleteCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure, retriedBeforeRefusal } from '../client/conditional';
import { claimPk } from '../keys/item-keys';
import { ALL_SHARDS } from '../keys/shard';
import {
  type ClaimItem,
  classifyClaimItem,
  toAllocationClaim,
  toClaimItem,
} from '../mapping/claim-item';
import type { DynamoSandboxReads, SandboxTable } from '../pool/dynamo-sandbox-reads';
import { INDEXES } from '../schema/table-schema';
import type { TransitionWriter } from '../transitions/transition-writer';
import type { ClaimWrites } from '../allocation/claim-writes';

/**
 * The claim-repair job's side of the claim protocol: claims taken over from a presumed-dead
 * writer are listed in the TypeIndex (`CLAIM#<shard>`, by deadline) until confirmed, or removed
 * when that writer never took a sandbox; a late sandbox of that writer goes to deletion.
 */
export class DynamoClaimRepair implements ClaimRepairRepository {
  constructor(
    private readonly table: SandboxTable,
    private readonly claims: Pick<ClaimWrites, 'get'>,
    private readonly reads: DynamoSandboxReads,
    private readonly writer: TransitionWriter,
    private readonly clock: Clock,
  ) {}

  async listOpenClaims(olderThanMs: number, limit: number): Promise<AllocationClaim[]> {
    const claims: AllocationClaim[] = [];
    const bound = String(Math.max(0, Math.floor(olderThanMs))).padStart(13, '0');
    for (const shard of ALL_SHARDS) {
      let lastKey: Record<string, unknown> | undefined;
      do {
        if (claims.length >= limit) return claims;
        const page: QueryCommandOutput = await this.table.client.send(
          new QueryCommand({
            TableName: this.table.tableName,
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
    const current = await this.claims.get(claimPk(claim.studentId, claim.idempotencyKey));
    if (!current || current.token !== claim.token || current.sandbox_id !== claim.sandboxId) {
      return 'skipped';
    }
    const item = await this.reads.getItem(current.sandbox_id);
    const state = classifyClaimItem(current, item, this.clock.nowMs());
    if (state === 'in_flight') return 'skipped';
    await this.releaseOrphans(current);
    const fence = {
      Key: { PK: current.PK, SK: current.SK },
      ConditionExpression: '#token = :token AND sandbox_id = :sid AND deadline_ms = :deadline',
      ExpressionAttributeNames: { '#token': 'token' },
    };
    const values = {
      ':token': current.token,
      ':sid': current.sandbox_id,
      ':deadline': current.deadline_ms,
    };
    const { tableName } = this.table;
    const done =
      state === 'abandoned'
        ? // The writer died before taking a sandbox: the student's next request starts clean.
          this.table.client.send(
            new DeleteCommand({
              TableName: tableName,
              ...fence,
              ExpressionAttributeValues: values,
            }),
          )
        : this.table.client.send(
            new UpdateCommand({
              TableName: tableName,
              ...fence,
              UpdateExpression: 'SET superseded = :none REMOVE type_pk, type_sk',
              ExpressionAttributeValues: { ...values, ':none': [] },
            }),
          );
    const outcome = state === 'abandoned' ? 'abandoned' : 'confirmed';
    try {
      await done;
      return outcome;
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      if (!retriedBeforeRefusal(error)) return 'skipped';
      // The retry met our own applied attempt: the claim is gone, or confirmed under our token.
      const now = await this.claims.get(current.PK);
      const ours =
        state === 'abandoned'
          ? now === null
          : now?.token === current.token && now.type_pk === undefined;
      return ours ? outcome : 'skipped';
    }
  }

  /** Superseded candidates still allocated under a dead writer's token go to deletion. */
  private async releaseOrphans(claim: ClaimItem): Promise<void> {
    for (const orphan of claim.superseded) {
      await this.writer.apply({
        sandboxId: orphan.sandbox_id,
        to: SandboxStatus.PendingDeletion,
        by: 'repair',
        from: [SandboxStatus.Allocated],
        condition: 'claim_token = :token',
        set: 'deletion_requested_at = :now',
        values: { ':token': orphan.token },
      });
    }
  }
}
