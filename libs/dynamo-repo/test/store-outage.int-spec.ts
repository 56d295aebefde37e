import { StoreUnavailableError, type SandboxStore } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDynamoStore } from '../src';
import { type BlackHole, closedPortEndpoint, startBlackHole } from '../src/testing';

const DEADLINES = { requestTimeoutMs: 200, maxAttempts: 2, callBudgetMs: 700 };

function storeAt(endpoint: string): SandboxStore {
  return createDynamoStore(
    {
      tableName: 'outage',
      region: 'us-east-1',
      endpoint,
      lease: { leaseSeconds: 3600, graceSeconds: 600 },
      ...DEADLINES,
    },
    { clock: new FixedClock() },
  );
}

/** One call of each store part: each must fail as StoreUnavailableError, promptly. */
const CALLS: ReadonlyArray<[string, (s: SandboxStore) => Promise<unknown>]> = [
  ['allocate', (s) => s.sandboxes.allocate({ studentId: 'st', idempotencyKey: 'st' })],
  ['get', (s) => s.sandboxes.get('2000001')],
  ['release', (s) => s.sandboxes.release('2000001', 'st')],
  ['lifecycle.expire', (s) => s.lifecycle.expire('2000001', 0)],
  ['admin.stats', (s) => s.admin.stats()],
  ['leases.acquire', (s) => s.leases.acquire('sync', 'w', 1000)],
  ['runs.get', (s) => s.runs.get('run-1')],
  ['events.list', (s) => s.events.list({ limit: 5 })],
  ['ping', (s) => s.ping()],
];

async function expectUnavailable(call: Promise<unknown>): Promise<number> {
  const started = Date.now();
  await expect(call).rejects.toBeInstanceOf(StoreUnavailableError);
  return Date.now() - started;
}

/** Issue #12 §4: a stalled or unreachable store is a prompt, typed failure, never a hang. */
describe('store outage: every call has a deadline', () => {
  let hole: BlackHole;
  beforeAll(async () => {
    hole = await startBlackHole();
  });
  afterAll(() => hole.close());

  it.each(CALLS)('%s against a store that accepts and never answers', async (_name, call) => {
    const store = storeAt(hole.endpoint);
    try {
      const elapsed = await expectUnavailable(call(store));
      // The call budget, not the (unbounded) connection, ends it.
      expect(elapsed).toBeLessThan(DEADLINES.callBudgetMs + 1_500);
    } finally {
      await store.dispose().catch(() => undefined);
    }
  });

  it('leaves no socket open at the stalled store once the deadlines passed', async () => {
    const store = storeAt(hole.endpoint);
    await expectUnavailable(store.sandboxes.get('2000001'));
    for (let i = 0; i < 40 && hole.openConnections() > 0; i += 1) await sleep(50);
    expect(hole.openConnections()).toBe(0);
    await store.dispose().catch(() => undefined);
  });

  it.each(CALLS)('%s against a closed port', async (_name, call) => {
    const store = storeAt(await closedPortEndpoint());
    try {
      await expectUnavailable(call(store));
    } finally {
      await store.dispose().catch(() => undefined);
    }
  });
});
