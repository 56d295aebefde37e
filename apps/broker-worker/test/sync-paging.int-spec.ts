import { SandboxStatus } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
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

beforeAll(async () => {
  [engine, sim] = await Promise.all([
    startDynalite(),
    startSimulator(simOptions({ poolSize: 60, serviceEvery: 0, withNoise: false })),
  ]);
});
afterAll(async () => {
  await Promise.all([engine?.stop(), sim?.stop()]);
});

describe('sync while the provider listing changes between pages (issue #12 item 2)', () => {
  it('never marks stale an account the provider still lists, and reports vanished allocations', async () => {
    const clock = new FixedClock(Date.now());
    const storage = await dynamoStorage(engine.endpoint, clock);
    try {
      const provider = cspClient(sim, { pageSize: 25 });
      const jobs = workerJobs({ config: testConfig(sim), storage, provider, clock });
      const first = await jobs.runOnce('sync');
      if (first.outcome !== 'success') throw new Error(JSON.stringify(first));
      // One allocated sandbox whose account will vanish at the provider.
      const { sandbox: held } = await storage.sandboxes.allocate({
        studentId: 'paging-1',
        idempotencyKey: 'paging-1',
      });
      clock.advanceSeconds(600);

      const listed = sim.store.list().filter((a) => a.state === 'active');
      const firstTwenty = listed.slice(0, 20).filter((a) => a.id !== held.externalId);
      // The held sandbox's account vanishes before the sync (wherever it would have been listed).
      sim.store.delete(uuidOf(held.externalId), 0);
      sim.faults.add({ operation: 'list', latencyMs: 150 });
      sim.stats.reset();
      const running = jobs.runOnce('sync');
      // Between the first and the second page: the first 20 listed accounts are deleted.
      // (The second page's call has arrived, so the first was answered; its latency still runs.)
      await until(() => sim.stats.callsFor('list') >= 2);
      for (const account of firstTwenty) sim.store.delete(uuidOf(account.id), 0);
      const report = await running;
      sim.faults.clear();
      if (report.outcome !== 'success') throw new Error(JSON.stringify(report));
      const result = report.result as {
        markedStale: number;
        stillListed: number;
        allocatedVanished: number;
      };

      // Every account the provider still lists stays available.
      const stillActive = new Set(
        sim.store
          .list()
          .filter((a) => a.state === 'active')
          .map((a) => a.id),
      );
      const stale = await storage.sandboxes.list({ status: SandboxStatus.Stale, limit: 100 });
      for (const row of stale.items) expect(stillActive.has(row.externalId)).toBe(false);
      expect(result.markedStale).toBe(0);
      expect(result.stillListed).toBeGreaterThanOrEqual(19);
      expect(result.allocatedVanished).toBe(1);
      await storage.events.flush();
      const events = await storage.events.list({ sandboxId: held.sandboxId, limit: 10 });
      expect(events.items.map((e) => e.action)).toContain('provider_account_vanished');
    } finally {
      await storage.dispose();
    }
  }, 60_000);
});
