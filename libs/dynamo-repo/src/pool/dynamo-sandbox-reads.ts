import {
  ALL_SANDBOX_STATUSES,
  externalAccountKey,
  InvalidCursorError,
  type ListSandboxesQuery,
  type Page,
  type Sandbox,
  type SandboxReadRepository,
  type SandboxStatus,
  type StoreHealth,
} from '@broker/domain';
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { fromAttributeMap, toAttributeMap } from '../client/attribute-map';
import { decodeListCursor, encodeListCursor, type ListPosition } from '../cursor/list-cursor';
import { SANDBOX_SK, sandboxPk, statusPk } from '../keys/item-keys';
import { ALL_SHARDS, shardLabel } from '../keys/shard';
import { toSandbox } from '../mapping/sandbox-item';
import { INDEXES, KEY_ATTRIBUTES, SHARD_COUNT } from '../schema/table-schema';

/** Index partitions read at once by counts. */
export const PARTITION_CONCURRENCY = 8;

const STATUS_INDEX_KEYS = [
  KEY_ATTRIBUTES.partition,
  KEY_ATTRIBUTES.sort,
  INDEXES.status.partitionKey,
  INDEXES.status.sortKey,
] as const;

export interface SandboxTable {
  /** Document client (reads, listings) and the hot-path low-level client on its sockets. */
  readonly client: DynamoDBDocumentClient;
  readonly fast: DynamoDBClient;
  readonly tableName: string;
}

/**
 * Pool reads: GetItem for one row (strongly consistent), StatusIndex queries for listings and
 * counts (16 shards per status; never a table scan).
 */
export class DynamoSandboxReads implements SandboxReadRepository, StoreHealth {
  constructor(private readonly table: SandboxTable) {}

  async get(sandboxId: string): Promise<Sandbox | null> {
    const item = await this.getItem(sandboxId);
    return item ? toSandbox(item) : null;
  }

  /** The raw row (claim token and index attributes included), strongly consistent. */
  async getItem(sandboxId: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.table.fast.send(
      new GetItemCommand({
        TableName: this.table.tableName,
        Key: toAttributeMap({ PK: sandboxPk(sandboxId), SK: SANDBOX_SK }),
        ConsistentRead: true,
      }),
    );
    return fromAttributeMap(Item) ?? null;
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
      const page: QueryCommandOutput = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
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

  /**
   * ExternalIndex Query (keys only, eventually consistent), then a consistent GetItem of the row,
   * kept only if it still carries that account. Ids in order, so repeats answer the same row.
   */
  async findByExternalId(externalId: string): Promise<Sandbox | null> {
    const key = externalAccountKey(externalId);
    if (key === null) return null;
    const { Items } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: INDEXES.external.name,
        KeyConditionExpression: 'external_pk = :pk',
        ExpressionAttributeValues: { ':pk': key },
        Limit: 10,
      }),
    );
    for (const raw of Items ?? []) {
      const sandboxId: unknown = raw[INDEXES.external.sortKey];
      if (typeof sandboxId !== 'string') continue;
      const sandbox = await this.get(sandboxId);
      if (sandbox && externalAccountKey(sandbox.externalId) === key) return sandbox;
    }
    return null;
  }

  async countByStatus(): Promise<Record<SandboxStatus, number>> {
    const counts = Object.fromEntries(ALL_SANDBOX_STATUSES.map((s) => [s, 0])) as Record<
      SandboxStatus,
      number
    >;
    await forEachStatusPartition(async (status, shard) => {
      // Read first: `counts[x] += await …` would add to a value read before the await.
      const count = await this.countPartition(status, shard);
      counts[status] += count;
    });
    return counts;
  }

  async ping(): Promise<void> {
    await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: { PK: 'PING', SK: 'PING' } }),
    );
  }

  private async countPartition(status: SandboxStatus, shard: string): Promise<number> {
    let total = 0;
    let lastKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
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
}

/** Runs `work` once per StatusIndex partition (status × shard), a few partitions at a time. */
export async function forEachStatusPartition(
  work: (status: SandboxStatus, shard: string) => Promise<void>,
): Promise<void> {
  const limit = pLimit(PARTITION_CONCURRENCY);
  // Once one partition failed the call has failed: start no more reads (a stalled store would
  // otherwise keep receiving the queued ones long after the caller got its error).
  let failed = false;
  await Promise.all(
    ALL_SANDBOX_STATUSES.flatMap((status) =>
      ALL_SHARDS.map((shard) =>
        limit(async () => {
          if (failed) return;
          try {
            await work(status, shard);
          } catch (error) {
            failed = true;
            throw error;
          }
        }),
      ),
    ),
  );
}
