import type { ProviderDiscrepancies } from '@broker/domain';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** One item: the last complete sync's provider discrepancies (a snapshot, replaced each run). */
const KEY = { PK: 'STAT#SYNC', SK: 'DISCREPANCIES' } as const;

export async function writeSyncDiscrepancies(
  client: DynamoDBDocumentClient,
  tableName: string,
  found: ProviderDiscrepancies,
): Promise<void> {
  await client
    .send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...KEY,
          tombstones_still_listed: found.tombstonesStillListed,
          allocated_vanished: found.allocatedVanished,
          at_ms: found.atMs,
        },
        // An older sync finishing late never replaces a newer snapshot.
        ConditionExpression: 'attribute_not_exists(PK) OR at_ms <= :at',
        ExpressionAttributeValues: { ':at': found.atMs },
      }),
    )
    .catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    });
}

export async function readSyncDiscrepancies(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<ProviderDiscrepancies | null> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: KEY, ConsistentRead: true }),
  );
  if (!Item) return null;
  return {
    tombstonesStillListed: Number(Item['tombstones_still_listed'] ?? 0),
    allocatedVanished: Number(Item['allocated_vanished'] ?? 0),
    atMs: Number(Item['at_ms'] ?? 0),
  };
}
