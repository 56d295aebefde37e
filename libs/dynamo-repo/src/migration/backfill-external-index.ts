import {
  type DynamoDBDocumentClient,
  ScanCommand,
  type ScanCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unlessConditionFails } from '../client/conditional';
import { externalIndexKeys, SANDBOX_SK } from '../keys/item-keys';

export interface BackfillReport {
  /** Sandbox rows without ExternalIndex keys that were found. */
  readonly missing: number;
  readonly written: number;
  /** Rows whose external id holds no account uuid (they stay out of the index). */
  readonly unmappable: readonly string[];
}

/**
 * Gives every sandbox row written before the ExternalIndex existed its index keys, so lab scripts
 * that send the provider account id reach it (issue #15 §3): rows the sync inserts or refreshes
 * get them anyway, but an allocated row is not refreshed until it is gone. An offline operator
 * tool: it Scans the table (never on a request path); each write is conditional on the keys
 * still being absent, so a second run, or a run alongside the sync, changes nothing twice.
 */
export async function backfillExternalIndex(options: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
}): Promise<BackfillReport> {
  const { client, tableName } = options;
  let missing = 0;
  let written = 0;
  const unmappable: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression:
          'begins_with(PK, :sbx) AND SK = :meta AND attribute_not_exists(external_pk)',
        ExpressionAttributeValues: { ':sbx': 'SBX#', ':meta': SANDBOX_SK },
        ProjectionExpression: 'PK, SK, sandbox_id, external_id',
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const row of page.Items ?? []) {
      missing += 1;
      const sandboxId = String(row['sandbox_id']);
      const keys = externalIndexKeys(String(row['external_id'] ?? ''), sandboxId);
      if (!keys) {
        unmappable.push(sandboxId);
        continue;
      }
      if (options.dryRun) {
        options.log?.(`would index ${sandboxId} under ${keys.external_pk}`);
        continue;
      }
      const done = await unlessConditionFails(
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { PK: String(row['PK']), SK: String(row['SK']) },
            UpdateExpression: 'SET external_pk = :pk, external_sk = :sk',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(external_pk)',
            ExpressionAttributeValues: { ':pk': keys.external_pk, ':sk': keys.external_sk },
          }),
        ),
        null,
      );
      if (done) {
        written += 1;
        options.log?.(`indexed ${sandboxId} under ${keys.external_pk}`);
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { missing, written, unmappable };
}
