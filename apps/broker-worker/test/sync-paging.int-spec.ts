import { SandboxStatus } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
import {
  cspClient,
  dynamoStorage,
  testConfig,
  uuidOf,
  until,
  workerJobs,
  useBackends,
} from './testing/worker-harness';

const backends = useBackends({ poolSize: 60, serviceEvery: 0, withNoise: false });

describe('sync while the provider listing changes between pages (issue #12 item 2)', () => {
  it('never marks stale an account the provider still lists, and reports vanished allocations', async () => {
    const clock = new FixedClock(Date.now());
    const storage = await dynamoStorage(backends.engine.endpoint, clock);
    try {
      const provider = cspClient(backends.sim, { pageSize: 25 });
      const jobs = workerJobs({ config: testConfig(backends.sim), storage, provider, clock });
      const first = await jobs.runOnce('sync');
      if (first.outcome !== 'success') throw new Error(JSON.stringify(first));
      // One allocated sandbox whose account will vanish at the provider.
      const { sandbox: held } = await storage.sandboxes.allocate({
        studentId: 'paging-1',
        idempotencyKey: 'paging-1',
      });
      clock.advanceSeconds(600);

      const listed = backends.sim.store.list().filter((a) => a.state === 'active');
      const firstTwenty = listed.slice(0, 20).filter((a) => a.id !== held.externalId);
      // The held sandbox's account vanishes before the sync (wherever it would have been listed).
      backends.sim.store.delete(uuidOf(held.externalId), 0);
      backends.sim.faults.add({ operation: 'list', latencyMs: 150 });
      backends.sim.stats.reset();
      const running = jobs.runOnce('sync');
      // Between the first and the second page: the first 20 listed accounts are deleted.
      // (The second page's call has arrived, so the first was answered; its latency still runs.)
      await until(() => backends.sim.stats.callsFor('list') >= 2);
      for (const account of firstTwenty) backends.sim.store.delete(uuidOf(account.id), 0);
      const report = await running;
      backends.sim.faults.clear();
      if (report.outcome !== 'success') throw new Error(JSON.stringify(report));
      const result = report.result as {
        markedStale: number;
        stillListed: number;
        allocatedVanished: number;
      };

      // Every account the provider still lists stays available.
      const stillActive = new Set(
        backends.sim.store
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
