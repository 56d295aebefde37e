import { hourStartOf, type JobRunRecord } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { jobHarness } from '../testing/harness';
import { JobSet } from './job-set';
import { silentJobLogger } from './job';

describe('run bookkeeping (JobSet.runOnce)', () => {
  function jobSet(h: ReturnType<typeof jobHarness>) {
    return new JobSet({
      settings: {
        leaseTtlMs: 60_000,
        staleGraceSeconds: 3600,
        cleanup: {
          ratePerSec: 1000,
          concurrency: 1,
          maxAttempts: 3,
          backoffBaseSec: 1,
          backoffMaxSec: 10,
          stuckAfterSec: 600,
          preDelete: false,
        },
      },
      storage: h.store,
      provider: h.provider,
      clock: h.clock,
      lease: h.lease,
      logger: silentJobLogger,
      workerId: 'w-test',
    });
  }

  it('records scheduled sync and cleanup runs, newest first, and not other jobs', async () => {
    const h = jobHarness();
    const jobs = jobSet(h);
    await jobs.runOnce('sync');
    h.clock.advanceSeconds(5);
    await jobs.runOnce('cleanup');
    await jobs.runOnce('expiry');
    const sync = await h.store.runs.recent('sync', 10);
    expect(sync).toHaveLength(1);
    expect(sync[0]).toMatchObject<Partial<JobRunRecord>>({
      job: 'sync',
      status: 'succeeded',
      triggeredBy: 'schedule',
    });
    expect(await h.store.runs.recent('cleanup', 10)).toHaveLength(1);
    expect(await h.store.runs.recent('expiry', 10)).toEqual([]);
  });

  it('does not record a requested run twice (the poller saves it)', async () => {
    const h = jobHarness();
    await jobSet(h).runOnce('sync', { runId: '7b0c2f0e-8d1a-4c3e-9f55-2a6f3d1e9b10' });
    expect(await h.store.runs.recent('sync', 10)).toEqual([]);
  });

  it("adds a cleanup run's outcomes to its hour's counters", async () => {
    const accounts = aProviderPool(2, 'lab-rr-');
    const h = jobHarness(accounts);
    h.pool.seed(accounts);
    for (const student of ['s1', 's2']) {
      const { sandbox } = await h.pool.allocate({ studentId: student, idempotencyKey: student });
      await h.pool.release(sandbox.sandboxId, student);
    }
    const report = await jobSet(h).runOnce('cleanup');
    expect(report.outcome).toBe('success');
    const [bucket] = await h.store.activity.cleanupPerHour(hourStartOf(h.clock.nowMs()), 1);
    expect(bucket).toEqual({
      deleted: 2,
      retried: 0,
      failed: 0,
      quarantined: 0,
      niosxaasCleaned: 0,
      niosxaasSkipped: 0,
      niosxaasFailed: 0,
    });
  });
});
