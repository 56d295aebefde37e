import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTableInput } from '../schema/create-table-input';

/**
 * Creates the table with every index (dev, tests, scripts; production tables come from infra/) and
 * waits until it and its indexes are ACTIVE. An existing table is left as it is.
 */
export async function ensureTable(
  client: DynamoDBDocumentClient,
  tableName: string,
  timeoutMs = 60_000,
): Promise<'created' | 'exists'> {
  let outcome: 'created' | 'exists' = 'created';
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
    outcome = 'exists';
  }
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return outcome;
    if (Date.now() > until) {
      throw new Error(`Table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}
