import {
  type Clock,
  decodeQuotaCursor,
  encodeQuotaCursor,
  nowSeconds,
  type Page,
  type PageRequest,
  type QuotaAcquireOutcome,
  SandboxStatus,
  type TrackQuota,
  TrackQuotaExceededError,
  type TrackQuotaPut,
  type TrackQuotaRepository,
} from '@broker/domain';
import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { fromAttributeMap, toAttributeMap } from '../client/attribute-map';
import { isConditionalFailure, unlessConditionFails } from '../client/conditional';
import {
  statusPk,
  TRACK_QUOTA_REGISTRY_SK,
  TRACK_QUOTA_SK,
  TRACK_QUOTA_TYPE_PK,
  trackQuotaPk,
} from '../keys/item-keys';
import { ALL_SHARDS } from '../keys/shard';
import type { SandboxTable } from '../pool/dynamo-sandbox-reads';
import { INDEXES } from '../schema/table-schema';
import { QuotaPresenceCache } from './quota-presence-cache';

const PARTITION_CONCURRENCY = 8;

export interface DynamoTrackQuotasOptions {
  readonly table: SandboxTable;
  readonly clock: Clock;
  /** How long this process trusts "this track has no quota" (ms); 0 disables the cache. */
  readonly presenceTtlMs?: number;
}

/** Default of `presenceTtlMs`: a new quota is enforced by every process within 5 s. */
export const DEFAULT_QUOTA_PRESENCE_TTL_MS = 5_000;

/**
 * Per-track quotas in the sandbox table (libs/dynamo-repo/README.md, Per-track quotas): a
 * counter item `TRACKQ#<slug>`/`QUOTA` holding `max_allocated` and `held`, changed only by
 * single-item conditional writes, plus a listing entry `TRACKQ#<slug>`/`REG` in TypeIndex
 * (`TRACKQ` → slug), kept apart so the hot counter writes touch no index.
 */
export class DynamoTrackQuotas implements TrackQuotaRepository {
  private readonly cache: QuotaPresenceCache;

  constructor(private readonly options: DynamoTrackQuotasOptions) {
    this.cache = new QuotaPresenceCache(
      options.presenceTtlMs ?? DEFAULT_QUOTA_PRESENCE_TTL_MS,
      () => options.clock.nowMs(),
    );
  }

  async acquire(track: string): Promise<QuotaAcquireOutcome> {
    if (this.cache.isUnlimited(track)) return 'unlimited';
    try {
      // No item, or no room: the condition fails and ADD creates nothing.
      await this.options.table.fast.send(
        new UpdateItemCommand({
          TableName: this.options.table.tableName,
          Key: counterKey(track),
          UpdateExpression: 'ADD held :one',
          ConditionExpression: 'held < max_allocated',
          ExpressionAttributeValues: toAttributeMap({ ':one': 1 }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'acquired';
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // DynamoDB returns the item with the refusal; engines that do not (dynalite) are asked.
      const returned = fromAttributeMap((error as { Item?: Record<string, AttributeValue> }).Item);
      const item = returned ?? (await this.readCounter(track));
      if (!item || typeof item['max_allocated'] !== 'number') {
        this.cache.markUnlimited(track);
        return 'unlimited';
      }
      throw new TrackQuotaExceededError({
        track,
        max_allocated: item['max_allocated'],
        held: typeof item['held'] === 'number' ? item['held'] : 0,
      });
    }
  }

  /**
   * Gives a unit back (`held > 0`). A refusal on a track without a quota marks it unlimited like
   * `acquire` does, so releases of such a track cost one refused write and one read per process
   * per `presenceTtlMs`, not a refused write each (releases often come long after this process
   * last allocated for the track, when its cache entry has expired).
   */
  async release(track: string): Promise<void> {
    if (this.cache.isUnlimited(track)) return;
    try {
      await this.options.table.fast.send(
        new UpdateItemCommand({
          TableName: this.options.table.tableName,
          Key: counterKey(track),
          UpdateExpression: 'ADD held :minus',
          ConditionExpression: 'held > :zero',
          ExpressionAttributeValues: toAttributeMap({ ':minus': -1, ':zero': 0 }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const returned = fromAttributeMap((error as { Item?: Record<string, AttributeValue> }).Item);
      const item = returned ?? (await this.readCounter(track));
      if (!item || typeof item['max_allocated'] !== 'number') this.cache.markUnlimited(track);
    }
  }

  async put(track: string, maxAllocated: number, initialHeld: number): Promise<TrackQuotaPut> {
    const { client, tableName } = this.options.table;
    const now = nowSeconds(this.options.clock);
    // Listing entry first: a crash before the counter leaves an entry the listing skips.
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: trackQuotaPk(track), SK: TRACK_QUOTA_REGISTRY_SK },
        UpdateExpression:
          'SET track = :track, type_pk = :tpk, type_sk = :track, ' +
          'created_at = if_not_exists(created_at, :now)',
        ConditionExpression: 'attribute_not_exists(PK) OR track = :track',
        ExpressionAttributeValues: { ':track': track, ':tpk': TRACK_QUOTA_TYPE_PK, ':now': now },
      }),
    );
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: trackQuotaPk(track), SK: TRACK_QUOTA_SK },
        UpdateExpression:
          'SET track = :track, max_allocated = :max, updated_at = :now, ' +
          'held = if_not_exists(held, :initial)',
        ConditionExpression: 'attribute_not_exists(PK) OR track = :track',
        ExpressionAttributeValues: {
          ':track': track,
          ':max': maxAllocated,
          ':now': now,
          ':initial': Math.max(0, Math.floor(initialHeld)),
        },
        // The values replaced: none for a new quota; an existing one keeps its counter.
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    this.cache.forget(track);
    const previous = typeof Attributes?.['max_allocated'] === 'number' ? Attributes : null;
    const held = previous && typeof previous['held'] === 'number' ? previous['held'] : null;
    return {
      quota: {
        track,
        maxAllocated,
        held: held ?? Math.max(0, Math.floor(initialHeld)),
        updatedAt: now,
      },
      created: previous === null,
    };
  }

  async get(track: string): Promise<TrackQuota | null> {
    const item = await this.readCounter(track);
    return item ? toQuota(item) : null;
  }

  async delete(track: string): Promise<boolean> {
    const { client, tableName } = this.options.table;
    // Counter first (enforcement stops), then the listing entry.
    const { Attributes } = await client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: { PK: trackQuotaPk(track), SK: TRACK_QUOTA_SK },
        ReturnValues: 'ALL_OLD',
      }),
    );
    await client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: { PK: trackQuotaPk(track), SK: TRACK_QUOTA_REGISTRY_SK },
      }),
    );
    this.cache.forget(track);
    return Attributes !== undefined;
  }

  async list(page: PageRequest): Promise<Page<TrackQuota>> {
    const after = page.cursor === undefined ? null : decodeQuotaCursor(page.cursor);
    const limit = Math.max(1, page.limit);
    const { client, tableName } = this.options.table;
    const items: TrackQuota[] = [];
    let start: Record<string, unknown> | undefined = after === null ? undefined : typeKey(after);
    // Registry entries whose counter is gone (a crashed put or delete) are skipped, so read on
    // until the page is full or the index ends (bounded: each round reads at least one entry).
    for (let round = 0; round < 20 && items.length < limit; round += 1) {
      const result: QueryCommandOutput = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEXES.type.name,
          KeyConditionExpression: 'type_pk = :tpk',
          ExpressionAttributeValues: { ':tpk': TRACK_QUOTA_TYPE_PK },
          Limit: limit - items.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const tracks = (result.Items ?? []).map((item) => String(item['track']));
      const quotas = await Promise.all(tracks.map((track) => this.get(track)));
      for (const quota of quotas) if (quota) items.push(quota);
      start = result.LastEvaluatedKey;
      if (!start) break;
    }
    const last = items[items.length - 1];
    return { items, cursor: start && last ? encodeQuotaCursor(last.track) : null };
  }

  async countAllocatedByTrack(): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    const limit = pLimit(PARTITION_CONCURRENCY);
    await Promise.all(
      ALL_SHARDS.map((shard) =>
        limit(async () => {
          let lastKey: Record<string, unknown> | undefined;
          do {
            const page: QueryCommandOutput = await this.options.table.client.send(
              new QueryCommand({
                TableName: this.options.table.tableName,
                IndexName: INDEXES.status.name,
                KeyConditionExpression: 'status_pk = :pk',
                ExpressionAttributeValues: { ':pk': statusPk(SandboxStatus.Allocated, shard) },
                ProjectionExpression: 'track_name',
                ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
              }),
            );
            for (const item of page.Items ?? []) {
              const track: unknown = item['track_name'];
              if (typeof track === 'string' && track)
                counts.set(track, (counts.get(track) ?? 0) + 1);
            }
            lastKey = page.LastEvaluatedKey;
          } while (lastKey);
        }),
      ),
    );
    return counts;
  }

  async reconcile(track: string, expectedHeld: number, held: number): Promise<boolean> {
    const written = await unlessConditionFails(
      this.options.table.client.send(
        new UpdateCommand({
          TableName: this.options.table.tableName,
          Key: { PK: trackQuotaPk(track), SK: TRACK_QUOTA_SK },
          UpdateExpression: 'SET held = :held, updated_at = :now',
          ConditionExpression: 'held = :expected',
          ExpressionAttributeValues: {
            ':held': held,
            ':expected': expectedHeld,
            ':now': nowSeconds(this.options.clock),
          },
        }),
      ),
      null,
    );
    return written !== null;
  }

  private async readCounter(track: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.options.table.client.send(
      new GetCommand({
        TableName: this.options.table.tableName,
        Key: { PK: trackQuotaPk(track), SK: TRACK_QUOTA_SK },
        ConsistentRead: true,
      }),
    );
    return Item ?? null;
  }
}

function counterKey(track: string): Record<string, AttributeValue> {
  return toAttributeMap({ PK: trackQuotaPk(track), SK: TRACK_QUOTA_SK });
}

/** TypeIndex ExclusiveStartKey of a track's listing entry. */
function typeKey(track: string): Record<string, unknown> {
  return {
    type_pk: TRACK_QUOTA_TYPE_PK,
    type_sk: track,
    PK: trackQuotaPk(track),
    SK: TRACK_QUOTA_REGISTRY_SK,
  };
}

function toQuota(item: Record<string, unknown>): TrackQuota | null {
  const { track, max_allocated: max, held, updated_at: updatedAt } = item;
  if (typeof track !== 'string' || typeof max !== 'number') return null;
  return {
    track,
    maxAllocated: max,
    held: typeof held === 'number' ? held : 0,
    updatedAt: typeof updatedAt === 'number' ? updatedAt : 0,
  };
}
