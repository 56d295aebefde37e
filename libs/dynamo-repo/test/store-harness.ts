import {
  type Clock,
  type LeasePolicy,
  type SandboxStatus,
  type SandboxStore,
} from '@broker/domain';
import { createInMemoryStore } from '@broker/domain/testing';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoStore, sandboxPk, SANDBOX_SK, shardOf, statusPk } from '../src';
import { createTestTable } from '../src/testing';

/** A whole store on one engine, plus a way to put a row into any status (what another actor does). */
export interface StoreHarness {
  readonly store: SandboxStore;
  forceStatus(sandboxId: string, status: SandboxStatus): Promise<void>;
  close(): Promise<void>;
}

export type StoreHarnessFactory = (options: {
  clock: Clock;
  lease: LeasePolicy;
}) => Promise<StoreHarness>;

export const memoryStoreFactory: StoreHarnessFactory = (options) => {
  const store = createInMemoryStore(options);
  return Promise.resolve({
    store,
    forceStatus: (sandboxId, status) =>
      Promise.resolve(store.sandboxes.forceStatus(sandboxId, status)),
    close: () => store.dispose(),
  });
};

/** `createDynamoStore` over a fresh table on a running engine. */
export function dynamoStoreFactory(endpoint: () => string): StoreHarnessFactory {
  return async ({ clock, lease }) => {
    const { client, tableName } = await createTestTable(endpoint());
    const store = createDynamoStore({ tableName, region: 'us-east-1', lease }, { client, clock });
    return {
      store,
      forceStatus: (sandboxId, status) => forceStatusOn(client, tableName, sandboxId, status),
      async close() {
        await store.dispose();
        client.destroy();
      },
    };
  };
}

/** Put a row into a status directly, index attribute included (what another actor's write does). */
export async function forceStatusOn(
  client: DynamoDBDocumentClient,
  tableName: string,
  sandboxId: string,
  status: SandboxStatus,
): Promise<void> {
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { PK: sandboxPk(sandboxId), SK: SANDBOX_SK },
      UpdateExpression: 'SET #s = :s, status_pk = :spk',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ':spk': statusPk(status, shardOf(sandboxId)) },
    }),
  );
}
