import { type AllocationClaim, SandboxStatus } from '@broker/domain';
import {
  claimPk,
  claimTokenOf,
  DynamoSandboxRepository,
  newClaimItem,
  sandboxPk,
  shardOf,
  statusPk,
  toAllocationClaim,
  toClaimItem,
  toSandbox,
} from '../src';
import { createTestTable } from '../src/testing';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HarnessFactory, StoredRow } from './harness';
import { forceStatusOn } from './store-harness';

/** Contract harness over a fresh table on a running engine. */
export function dynamoHarnessFactory(endpoint: () => string): HarnessFactory {
  return async ({ clock, lease }) => {
    const { client, tableName } = await createTestTable(endpoint());
    const repo = new DynamoSandboxRepository({ client, tableName, clock, lease });
    const secondRepo = new DynamoSandboxRepository({ client, tableName, clock, lease });
    return {
      repo,
      secondRepo,
      async plantClaim(claim: AllocationClaim, listed = true) {
        const item = newClaimItem({
          studentId: claim.studentId,
          idempotencyKey: claim.idempotencyKey,
          sandboxId: claim.sandboxId,
          token: claim.token,
          nowMs: claim.createdAt,
          deadlineMs: claim.deadlineMs,
          ttl: Math.floor(claim.deadlineMs / 1000) + 86_400,
          listed,
        });
        await client.send(new PutCommand({ TableName: tableName, Item: item }));
      },
      async plantLateAllocation(sandboxId, claim) {
        const now = Math.floor(clock.nowMs() / 1000);
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { PK: sandboxPk(sandboxId), SK: 'META' },
            UpdateExpression:
              'SET #s = :allocated, status_pk = :spk, owner_id = :sid, idempotency_key = :key, ' +
              'claim_token = :token, allocated_at = :now, expires_at = :exp, version = version + :one',
            ConditionExpression: '#s = :available',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':allocated': SandboxStatus.Allocated,
              ':available': SandboxStatus.Available,
              ':spk': statusPk(SandboxStatus.Allocated, shardOf(sandboxId)),
              ':sid': claim.studentId,
              ':key': claim.idempotencyKey,
              ':token': claim.token,
              ':now': now,
              ':exp': now + lease.leaseSeconds,
              ':one': 1,
            },
          }),
        );
      },
      forceStatus: (sandboxId, status) => forceStatusOn(client, tableName, sandboxId, status),
      async readClaim(studentId, idempotencyKey) {
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: { PK: claimPk(studentId, idempotencyKey), SK: 'CLAIM' },
            ConsistentRead: true,
          }),
        );
        return Item ? toAllocationClaim(toClaimItem(Item)) : null;
      },
      async allRows() {
        // Test-only ground truth: a consistent scan of the base table, independent of the indexes.
        const rows: StoredRow[] = [];
        let lastKey: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new ScanCommand({
              TableName: tableName,
              ConsistentRead: true,
              ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
            }),
          );
          for (const item of page.Items ?? []) {
            if (!String(item['PK']).startsWith('SBX#')) continue;
            const token = claimTokenOf(item);
            rows.push(token ? { ...toSandbox(item), claimToken: token } : toSandbox(item));
          }
          lastKey = page.LastEvaluatedKey;
        } while (lastKey);
        return rows;
      },
      close() {
        client.destroy();
        return Promise.resolve();
      },
    };
  };
}
