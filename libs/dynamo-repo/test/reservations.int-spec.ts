import { createInMemoryStore } from '@broker/domain/testing';
import { randomBytes } from 'node:crypto';
import { createDocumentClient, createDynamoStore, ensureTable } from '../src';
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
      async close() {
        await store.dispose();
        await other.dispose();
        client.destroy();
      },
    };
  };
}

onEachDynamoEngine((engine, endpoint) =>
  describeReservationContract(engine, dynamoFactory(endpoint)),
);

describeReservationContract('in-memory', ({ clock, lease }) => {
  const store = createInMemoryStore({ clock, lease });
  return Promise.resolve({ store, other: store, close: () => store.dispose() });
});
