import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { aProviderPool, FixedClock } from '@broker/domain/testing';
import { backfillExternalIndex, createDynamoStore, SANDBOX_SK, sandboxPk } from '../src';
import { createTestTable, type RunningEngine, startDynalite } from '../src/testing';

/** Rows written before the ExternalIndex existed get its keys from the backfill (issue #15 §3). */
describe('backfillExternalIndex (dynalite)', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startDynalite();
  });
  afterAll(() => engine.stop());

  it('indexes an allocated row that predates the index, once; a second run writes nothing', async () => {
    const { client, tableName } = await createTestTable(engine.endpoint);
    const store = createDynamoStore(
      { tableName, region: 'us-east-1', lease: { leaseSeconds: 3600, graceSeconds: 60 } },
      { client, clock: new FixedClock() },
    );
    try {
      const accounts = aProviderPool(3, 'old-');
      for (const account of accounts) await store.sandboxes.upsertFromProvider(account);
      const { sandbox } = await store.sandboxes.allocate({ studentId: 's', idempotencyKey: 's' });
      // As a row written by the release before the index: no index keys.
      for (const account of accounts) {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { PK: sandboxPk(account.sandboxId), SK: SANDBOX_SK },
            UpdateExpression: 'REMOVE external_pk, external_sk',
          }),
        );
      }
      expect(await store.sandboxes.findByExternalId(sandbox.externalId)).toBeNull();

      const dry = await backfillExternalIndex({ client, tableName, dryRun: true });
      expect(dry).toMatchObject({ missing: 3, written: 0 });
      expect(await store.sandboxes.findByExternalId(sandbox.externalId)).toBeNull();

      expect(await backfillExternalIndex({ client, tableName })).toEqual({
        missing: 3,
        written: 3,
        unmappable: [],
      });
      expect(await store.sandboxes.findByExternalId(sandbox.externalId)).toMatchObject({
        sandboxId: sandbox.sandboxId,
        ownerId: 's',
      });
      expect(await backfillExternalIndex({ client, tableName })).toEqual({
        missing: 0,
        written: 0,
        unmappable: [],
      });
    } finally {
      await store.dispose();
      client.destroy();
    }
  });
});
