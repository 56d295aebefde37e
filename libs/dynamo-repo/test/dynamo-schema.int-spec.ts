import { ALL_INDEXES } from '../src/schema';
import { DynamoSandboxRepository, ensureTable, newClaimItem } from '../src';
import { createTestTable, type RunningEngine, startDynalite } from '../src/testing';
import { aProviderPool, FixedClock } from '@broker/domain/testing';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

describe('DynamoDB table and item layout (dynalite)', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startDynalite();
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it('creates the table once and accepts an existing one', async () => {
    const { client, tableName } = await createTestTable(engine.endpoint);
    try {
      expect(await ensureTable(client, tableName)).toBe('exists');
    } finally {
      client.destroy();
    }
  });

  it('gives every item a unique (partition, sort) pair in every index', async () => {
    const { client, tableName } = await createTestTable(engine.endpoint);
    try {
      const clock = new FixedClock();
      const repo = new DynamoSandboxRepository({
        client,
        tableName,
        clock,
        lease: { leaseSeconds: 3600, graceSeconds: 60 },
      });
      // Same names, same second, same track: only the id keeps the index keys apart.
      for (const sandbox of aProviderPool(40, 'same-name')) {
        await repo.upsertFromProvider({ ...sandbox, name: 'same-name' });
      }
      for (let i = 0; i < 25; i += 1) {
        await repo.allocate({ studentId: `s${i % 20}`, idempotencyKey: `k${i}`, trackName: 'lab' });
      }
      for (let i = 0; i < 5; i += 1) {
        const page = await repo.list({ status: 'allocated', limit: 1 });
        const first = page.items[0];
        if (first?.ownerId) await repo.release(first.sandboxId, first.ownerId);
      }
      // Claims taken over from dead writers are listed through TypeIndex; the same deadline for
      // all of them: only the claim key keeps their index keys apart.
      for (let i = 0; i < 10; i += 1) {
        const nowMs = clock.nowMs();
        const item = newClaimItem({
          studentId: `dead${i}`,
          idempotencyKey: `dead${i}`,
          sandboxId: 'none',
          token: `t${i}`,
          nowMs,
          deadlineMs: nowMs,
          ttl: 0,
          listed: true,
        });
        await client.send(new PutCommand({ TableName: tableName, Item: item }));
      }
      const { Items = [] } = await client.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true }),
      );
      for (const index of ALL_INDEXES) {
        const pairs = Items.filter((item) => item[index.partitionKey] !== undefined).map(
          (item) => `${String(item[index.partitionKey])}|${String(item[index.sortKey])}`,
        );
        expect(new Set(pairs).size).toBe(pairs.length);
      }
      const sandboxes = Items.filter((item) => String(item['PK']).startsWith('SBX#'));
      expect(sandboxes).toHaveLength(40);
      for (const item of sandboxes) {
        expect(item['status_pk']).toMatch(new RegExp(`^${String(item['status'])}#\\d\\d$`));
        // Candidates are read from the status index: its sort key is the name, then the id.
        expect(item['status_sk']).toBe(`${String(item['name'])}#${String(item['sandbox_id'])}`);
      }
      // First allocations list no claim; the ten planted ones are listed.
      expect(Items.filter((item) => item['type_pk'] !== undefined)).toHaveLength(10);
    } finally {
      client.destroy();
    }
  });
});
