import { SandboxStatus } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
import { type LossyProxy, stallEverything, startLossyProxy } from '@broker/dynamo-repo/testing';
import {
  cspClient,
  dynamoStorage,
  simOptions,
  startDynalite,
  startSimulator,
  testConfig,
  uuidOf,
  until,
  workerJobs,
  type RunningSimulator,
} from './testing/worker-harness';

let engine: Awaited<ReturnType<typeof startDynalite>>;
let sim: RunningSimulator;
let proxy: LossyProxy;

beforeAll(async () => {
  [engine, sim] = await Promise.all([
    startDynalite(),
    startSimulator(simOptions({ poolSize: 40, serviceEvery: 0, withNoise: false })),
  ]);
  proxy = await startLossyProxy(engine.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all([engine?.stop(), sim?.stop()]);
});

/** Loses the answer to the first sending of every third distinct write (the engine applied it). */
function everyThirdWrite(): (operation: string, body: string) => boolean {
  const seen = new Set<string>();
  let writes = 0;
  return (operation, body) => {
    if (!['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation) || seen.has(body))
      return false;
    seen.add(body);
    writes += 1;
    return writes % 3 === 0;
  };
}

/**
 * A short chaos run on the real stack (issue #12 "Done when"): write answers lost on the way
 * from the store, accounts deleted at the provider while a sync pages, the store stalled for a
 * run. The invariants hold and the books stay complete: every released sandbox is deleted at the
 * provider and tombstoned with its event, no listed account is marked stale, nothing hangs.
 */
describe('chaos: lost answers, a listing that shifts, a stalled store', () => {
  it('keeps every invariant and every event', async () => {
    const clock = new FixedClock(Date.now());
    const storage = await dynamoStorage(engine.endpoint, clock, {
      endpoint: proxy.endpoint,
      deadlines: { requestTimeoutMs: 500, maxAttempts: 3, callBudgetMs: 2_000 },
    });
    try {
      const provider = cspClient(sim, { pageSize: 10 });
      const jobs = workerJobs({
        config: testConfig(sim, { CLEANUP_RATE_PER_SEC: '50' }),
        storage,
        provider,
        clock,
      });
      proxy.setRule(everyThirdWrite());
      expect((await jobs.runOnce('sync')).outcome).toBe('success');

      // Twelve students come and go; every third write's answer is lost on the way.
      const released: string[] = [];
      for (let i = 0; i < 12; i += 1) {
        const { sandbox } = await storage.sandboxes.allocate({
          studentId: `chaos-${i}`,
          idempotencyKey: `chaos-${i}`,
        });
        const release = await storage.sandboxes.release(sandbox.sandboxId, `chaos-${i}`);
        expect(release.changed).toBe(true);
        released.push(sandbox.sandboxId);
      }

      // The listing shifts while the sync pages: five unallocated accounts go at the provider.
      clock.advanceSeconds(600);
      const rows = await storage.sandboxes.list({ status: SandboxStatus.Available, limit: 100 });
      const victims = rows.items.slice(0, 5).map((s) => s.externalId);
      sim.faults.add({ operation: 'list', latencyMs: 100 });
      sim.stats.reset();
      const syncing = jobs.runOnce('sync');
      await until(() => sim.stats.callsFor('list') >= 2);
      for (const id of victims) sim.store.delete(uuidOf(id), 0);
      const synced = await syncing;
      sim.faults.clear();
      expect(synced.outcome).toBe('success');

      // The cleanup deletes every released sandbox; lost answers never read as "lost" rows.
      const cleaned = await jobs.runOnce('cleanup');
      if (cleaned.outcome !== 'success') throw new Error(JSON.stringify(cleaned));
      expect(cleaned.result).toMatchObject({ attempts: { deleted: 12, lost: 0 } });

      // A stalled store: the run fails promptly instead of hanging, and the next one recovers.
      proxy.setRule(stallEverything);
      const stalled = await jobs.runOnce('expiry');
      expect(stalled.outcome).toBe('error');
      proxy.setRule(everyThirdWrite());
      expect((await jobs.runOnce('expiry')).outcome).toBe('success');

      // Invariants and books.
      const active = new Set(
        sim.store
          .list()
          .filter((a) => a.state === 'active')
          .map((a) => a.id),
      );
      for (const id of released) {
        const row = await storage.sandboxes.get(id);
        expect({ id, status: row?.status }).toEqual({ id, status: SandboxStatus.Deleted });
        expect(active.has(row!.externalId)).toBe(false);
      }
      const stale = await storage.sandboxes.list({ status: SandboxStatus.Stale, limit: 100 });
      for (const row of stale.items) expect(active.has(row.externalId)).toBe(false);
      await storage.events.flush();
      for (const id of released) {
        const { items } = await storage.events.list({ sandboxId: id, limit: 20 });
        expect({
          id,
          tombstoned: items.filter((e) => e.to === SandboxStatus.Deleted).length,
        }).toEqual({ id, tombstoned: 1 });
      }
      expect(proxy.dropped).toBeGreaterThan(10);
    } finally {
      proxy.setRule(() => false);
      await storage.dispose();
    }
  }, 90_000);
});
