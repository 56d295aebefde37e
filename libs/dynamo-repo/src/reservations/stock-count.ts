import { SandboxStatus } from '@broker/domain';
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { statusPk } from '../keys/item-keys';
import { ALL_SHARDS } from '../keys/shard';
import { PARTITION_CONCURRENCY, type SandboxTable } from '../pool/dynamo-sandbox-reads';
import { INDEXES } from '../schema/table-schema';

/** Sandboxes not yet used whose name starts with `prefix`, by status. */
export interface Stock {
  readonly available: number;
  readonly reserved: number;
}

/**
 * Exact counts of `available` and `reserved` rows with the name prefix: COUNT queries over the
 * StatusIndex's 2 × 16 partitions with `begins_with` on the name sort key (what the admin stats
 * count, narrowed by prefix); never a scan.
 */
export async function countStock(table: SandboxTable, prefix: string): Promise<Stock> {
  const limit = pLimit(PARTITION_CONCURRENCY);
  const counts = { available: 0, reserved: 0 };
  // One failed read fails the count: start no more (see forEachStatusPartition).
  let failed = false;
  await Promise.all(
    (['available', 'reserved'] as const).flatMap((key) =>
      ALL_SHARDS.map((shard) =>
        limit(async () => {
          if (failed) return;
          const status = key === 'available' ? SandboxStatus.Available : SandboxStatus.Reserved;
          try {
            const n = await countPartition(table, statusPk(status, shard), prefix);
            counts[key] += n;
          } catch (error) {
            failed = true;
            throw error;
          }
        }),
      ),
    ),
  );
  return counts;
}

async function countPartition(table: SandboxTable, pk: string, prefix: string): Promise<number> {
  let total = 0;
  let lastKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: INDEXES.status.name,
        KeyConditionExpression: prefix
          ? 'status_pk = :pk AND begins_with(status_sk, :prefix)'
          : 'status_pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
        Select: 'COUNT',
        ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
      }),
    );
    total += page.Count ?? 0;
    lastKey = page.LastEvaluatedKey;
  } while (lastKey);
  return total;
}

/** Exact number of sandboxes earmarked for a reservation (its TypeIndex partition). */
export async function countEarmarked(table: SandboxTable, typePk: string): Promise<number> {
  let total = 0;
  let lastKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: INDEXES.type.name,
        KeyConditionExpression: 'type_pk = :pk',
        ExpressionAttributeValues: { ':pk': typePk },
        Select: 'COUNT',
        ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
      }),
    );
    total += page.Count ?? 0;
    lastKey = page.LastEvaluatedKey;
  } while (lastKey);
  return total;
}
