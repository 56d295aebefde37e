import { FixedClock, InMemoryJobLeaseRepository } from '@broker/domain/testing';
import type { Job, JobContext } from './job';
import { LeasedJobRunner, type JobRunReport } from './leased-job-runner';

/** A job that runs until released by the test. */
function gatedJob() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const contexts: JobContext[] = [];
  const job: Job<string> = {
    name: 'cleanup',
    run: async (ctx) => {
      contexts.push(ctx);
      await gate;
      return 'done';
    },
  };
  return { job, open: () => open(), contexts };
}

describe('LeasedJobRunner', () => {
  it('lets one of two workers sharing the lease table run a job at a time', async () => {
    const clock = new FixedClock(Date.now());
    const leases = new InMemoryJobLeaseRepository(clock);
    const a = new LeasedJobRunner({ leases, workerId: 'worker-a', leaseTtlMs: 60_000 });
    const b = new LeasedJobRunner({ leases, workerId: 'worker-b', leaseTtlMs: 60_000 });
    const { job, open, contexts } = gatedJob();

    const first = a.run(job);
    await new Promise((resolve) => setImmediate(resolve));
    const second = await b.run(job);
    expect(second).toMatchObject({
      outcome: 'skipped',
      holder: { owner: expect.stringMatching(/^worker-a:/) },
    });
    // Same process, overlapping trigger: skipped without touching the lease.
    expect(await a.run(job)).toMatchObject({ outcome: 'skipped', holder: null });

    open();
    expect(await first).toMatchObject({ outcome: 'success', result: 'done' });
    expect(contexts).toHaveLength(1);
    expect(await leases.holder('cleanup')).toBeNull();
    // Released: the other worker runs next time.
    const again = gatedJob();
    const third = b.run(again.job);
    again.open();
    expect(await third).toMatchObject({ outcome: 'success' });
  });

  it('takes over a lease whose holder crashed once it expires', async () => {
    const clock = new FixedClock(Date.now());
    const leases = new InMemoryJobLeaseRepository(clock);
    await leases.acquire('sync', 'crashed:run', 30_000);
    const runner = new LeasedJobRunner({ leases, workerId: 'w', leaseTtlMs: 30_000 });
    const job: Job<number> = { name: 'sync', run: () => Promise.resolve(1) };
    expect((await runner.run(job)).outcome).toBe('skipped');
    clock.advanceSeconds(31);
    expect((await runner.run(job)).outcome).toBe('success');
  });

  it('reports errors, and stops the job when its lease is lost', async () => {
    const clock = new FixedClock(Date.now());
    const leases = new InMemoryJobLeaseRepository(clock);
    const reports: Array<JobRunReport<unknown>> = [];
    const runner = new LeasedJobRunner({
      leases,
      workerId: 'w',
      leaseTtlMs: 1_000,
      renewEveryMs: 5,
      onReport: (r) => reports.push(r),
    });
    const failing: Job<never> = { name: 'expiry', run: () => Promise.reject(new Error('boom')) };
    expect(await runner.run(failing)).toMatchObject({
      outcome: 'error',
      error: { message: 'boom' },
    });

    const stealing: Job<boolean> = {
      name: 'sync',
      run: async (ctx) => {
        // Another runner takes the lease after ours expired; renewal notices and stops us.
        clock.advanceSeconds(2);
        await leases.acquire('sync', 'thief', 60_000);
        await new Promise<void>((resolve) => ctx.stop.addEventListener('abort', () => resolve()));
        return ctx.stop.aborted;
      },
    };
    expect(await runner.run(stealing)).toMatchObject({ outcome: 'success', result: true });
    expect((await leases.holder('sync'))?.owner).toBe('thief');
    expect(reports.map((r) => r.outcome)).toEqual(['error', 'success']);
  });
});
