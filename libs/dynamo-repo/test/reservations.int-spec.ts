import { aProviderPool, createInMemoryStore, FixedClock } from '@broker/domain/testing';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import {
  createDocumentClient,
  createDynamoStore,
  type DynamoStore,
  ensureTable,
  reservationPk,
} from '../src';
import { onEachDynamoEngine } from './engines';
import {
  describeReservationContract,
  type ReservationHarnessFactory,
} from './reservations.contract';

function dynamoFactory(endpoint: () => string): ReservationHarnessFactory {
  return async ({ clock, lease }) => {
    // Generous deadlines: a class of 150 plus 150 others at once on a loaded 2-core machine.
    const client = createDocumentClient({
      region: 'us-east-1',
      endpoint: endpoint(),
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      callBudgetMs: 30_000,
    });
    const tableName = `test-${randomBytes(6).toString('hex')}`;
    await ensureTable(client, tableName);
    const config = { tableName, region: 'us-east-1', lease };
    // refreshMs 0: each class allocation reads the ledger, so tests need not wait for a refresh.
    const store = createDynamoStore(config, { client, clock, reservationRefreshMs: 0 });
    const other = createDynamoStore(config, { client, clock, reservationRefreshMs: 0 });
    return {
      store,
      other,
      tableName,
      async close() {
        await store.dispose();
        await other.dispose();
        client.destroy();
      },
    };
  };
}

onEachDynamoEngine((engine, endpoint) => {
  describeReservationContract(engine, dynamoFactory(endpoint));
  describeLedgerRepair(engine, endpoint);
  describeStaleCopy(engine, endpoint);
});

/**
 * A process whose copy of the ledger predates a reservation: its class members may be served
 * from the pool, but when the earmarks emptied the pool it looks again before answering 409.
 */
function describeStaleCopy(engine: string, endpoint: () => string) {
  it(`${engine}: a dry pool re-reads a stale ledger copy before a 409`, async () => {
    const clock = new FixedClock();
    const lease = { leaseSeconds: 3600, graceSeconds: 600 };
    const h = await dynamoFactory(endpoint)({ clock, lease });
    const client = (h.store as DynamoStore).client;
    const config = { tableName: h.tableName ?? '', region: 'us-east-1', lease };
    const api = createDynamoStore(config, { client, clock, reservationRefreshMs: 60_000 });
    try {
      for (const s of aProviderPool(4, 'st-')) await h.store.sandboxes.upsertFromProvider(s);
      const member = (id: string) =>
        api.sandboxes.allocate({ studentId: id, idempotencyKey: id, trackName: 'late-class' });
      // The API's copy is read now, before any reservation exists.
      expect((await member('early')).sandbox.reservationId).toBeUndefined();
      const now = Math.floor(clock.nowMs() / 1000);
      const r = await h.store.reservations.create({
        track: 'late-class',
        count: 3,
        startsAt: now + 600,
        endsAt: now + 7200,
        namePrefix: 'st-',
        leadSeconds: 3600,
        releaseUnclaimedAfterSeconds: 1800,
        createdBy: 'ops',
      });
      const [hold] = await h.store.reservationLifecycle.holds();
      expect(await h.store.reservationLifecycle.earmark(hold!, 3)).toHaveLength(3);
      clock.advanceSeconds(2); // the copy is older than a second, far younger than 60 s
      const got = await member('late');
      expect(got.sandbox.reservationId).toBe(r.reservationId);
    } finally {
      await api.dispose();
      await h.close();
    }
  });
}

/**
 * The creator died between its two writes (the ledger's hold written, the reservation item not):
 * the hold still counts for capacity, and the item is rebuilt from the ledger when read.
 */
function describeLedgerRepair(engine: string, endpoint: () => string) {
  it(`${engine}: a hold whose item was never written still counts and is rebuilt on read`, async () => {
    const clock = new FixedClock();
    const lease = { leaseSeconds: 3600, graceSeconds: 600 };
    const h = await dynamoFactory(endpoint)({ clock, lease });
    try {
      for (const s of aProviderPool(5, 'rep-')) await h.store.sandboxes.upsertFromProvider(s);
      const now = Math.floor(clock.nowMs() / 1000);
      const booking = {
        track: 'repair-class',
        count: 4,
        startsAt: now + 7200,
        endsAt: now + 9000,
        namePrefix: 'rep-',
        leadSeconds: 3600,
        releaseUnclaimedAfterSeconds: 1800,
        createdBy: 'ops',
      };
      const created = await h.store.reservations.create(booking);
      const client = (h.store as DynamoStore).client;
      const tableName = h.tableName ?? '';
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { PK: reservationPk(created.reservationId), SK: 'META' },
        }),
      );
      await expect(h.other.reservations.create({ ...booking, count: 2 })).rejects.toMatchObject({
        code: 'INSUFFICIENT_CAPACITY',
        problemFields: { shortfall: 1, committed: 4 },
      });
      const { updatedAt: _u, ...rebuilt } = (await h.store.reservations.get(
        created.reservationId,
      ))!;
      const { updatedAt: _c, ...original } = created;
      expect(rebuilt).toEqual(original);
    } finally {
      await h.close();
    }
  });
}

describeReservationContract('in-memory', ({ clock, lease }) => {
  const store = createInMemoryStore({ clock, lease });
  return Promise.resolve({ store, other: store, close: () => store.dispose() });
});
