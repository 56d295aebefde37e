import { SandboxStatus } from '@broker/domain';
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { randomInt } from 'node:crypto';
import { toAttributeMap } from '../client/attribute-map';
import { nameOfSortKey, sandboxIdOfPk, statusPk } from '../keys/item-keys';
import { shardLabel } from '../keys/shard';
import type { SandboxTable } from '../pool/dynamo-sandbox-reads';
import { INDEXES, KEY_ATTRIBUTES, SHARD_COUNT } from '../schema/table-schema';
import type { Candidate } from './candidate-pool';

const CANDIDATE_PAGE_SIZE = 100;

/**
 * Candidate refill: the StatusIndex's `available` shards from a random one until `want` are
 * found, keys only (the index projects whole rows; a candidate needs its id and name).
 */
export async function fetchAvailableCandidates(
  table: SandboxTable,
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
      const page = await table.fast.send(
        new QueryCommand({
          TableName: table.tableName,
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
