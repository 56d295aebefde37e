import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { createDocumentClient } from '../client/document-client';
import { ensureTable } from '../client/ensure-table';

/** A fresh table with every index on `endpoint`; the caller destroys the client when done. */
export async function createTestTable(
  endpoint: string,
): Promise<{ client: DynamoDBDocumentClient; tableName: string }> {
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  const tableName = `test-${randomBytes(6).toString('hex')}`;
  await ensureTable(client, tableName);
  return { client, tableName };
}
