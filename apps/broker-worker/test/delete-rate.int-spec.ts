import { FixedClock } from '@broker/domain/testing';
import {
  cspClient,
  dynamoStorage,
  testConfig,
  workerJobs,
  useBackends,
} from './testing/worker-harness';

const backends = useBackends({ poolSize: 30, serviceEvery: 0 });

/** Most arrivals in any sliding one-second window, from the simulator's own record. */
async function deletePeakPerSecond(): Promise<{ peak: number; calls: number }> {
  const res = await fetch(`${backends.sim.url}/_sim/calls?operation=delete`);
  const body = (await res.json()) as { arrivals: number[] };
  const times = body.arrivals;
  let peak = 0;
  let head = 0;
  for (let i = 0; i < times.length; i += 1) {
    while (times[head]! <= times[i]! - 1000) head += 1;
    peak = Math.max(peak, i - head + 1);
  }
  return { peak, calls: times.length };
}

describe('delete rate limit (issue #12 item 6)', () => {
  it('holds per sliding second with in-client retries, across a half-open → closed breaker', async () => {
    const clock = new FixedClock(Date.now());
    const storage = await dynamoStorage(backends.engine.endpoint, clock);
    try {
      const rate = 4;
      // In-client retries on, with almost no back-off: each retry is a DELETE on the wire.
      const provider = cspClient(backends.sim, {
        retry: { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 5 },
        breaker: { threshold: 6, halfOpenAfterMs: 150 },
      });
      const transitions: string[] = [];
      provider.onBreakerStateChange((kind, state) => transitions.push(`${kind}:${state}`));
      const jobs = workerJobs({
        config: testConfig(backends.sim, {
          CLEANUP_RATE_PER_SEC: String(rate),
          CLEANUP_CONCURRENCY: '4',
          CLEANUP_MAX_ATTEMPTS: '50',
        }),
        storage,
        provider,
        clock,
      });
      expect((await jobs.runOnce('sync')).outcome).toBe('success');
      for (let i = 0; i < 16; i += 1) {
        const { sandbox } = await storage.sandboxes.allocate({
          studentId: `rate-${i}`,
          idempotencyKey: `rate-${i}`,
        });
        await storage.sandboxes.release(sandbox.sandboxId, `rate-${i}`);
      }
      backends.sim.stats.reset();
      backends.sim.faults.add({ operation: 'delete', status: 500, count: 10 });

      for (let round = 0; round < 30; round += 1) {
        const report = await jobs.runOnce('cleanup');
        if (report.outcome !== 'success') throw new Error(JSON.stringify(report));
        if ((report.result as { stoppedBy: string | null }).stoppedBy === 'breaker') {
          await new Promise((resolve) => setTimeout(resolve, 200)); // the breaker half-opens
        }
        if ((await storage.sandboxes.countByStatus()).deleted === 16) break;
        clock.advanceSeconds(120);
      }

      expect((await storage.sandboxes.countByStatus()).deleted).toBe(16);
      expect(transitions).toEqual(expect.arrayContaining(['delete:half-open', 'delete:closed']));
      const { peak, calls } = await deletePeakPerSecond();
      expect(calls).toBeGreaterThanOrEqual(26); // 10 failures + 16 successes, all recorded
      expect(peak).toBeLessThanOrEqual(rate);
    } finally {
      await storage.dispose();
    }
  }, 60_000);
});
