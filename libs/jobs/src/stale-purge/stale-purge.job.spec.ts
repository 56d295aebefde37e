import { SandboxStatus } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { jobContext, jobHarness } from '../testing/harness';
import { SyncJob } from '../sync/sync.job';
import { StalePurgeJob } from './stale-purge.job';

describe('StalePurgeJob', () => {
  it('tombstones rows stale for longer than the grace, and keeps them out of the pool', async () => {
    const accounts = aProviderPool(3, 'lab-stale-');
    const h = jobHarness(accounts);
    const sync = new SyncJob({
      provider: h.provider,
      pool: h.pool,
      lifecycle: h.lifecycle,
      clock: h.clock,
    });
    const purge = new StalePurgeJob(
      { pool: h.pool, lifecycle: h.lifecycle, clock: h.clock },
      { graceSeconds: 24 * 3600 },
    );
    await sync.run(jobContext());
    const [gone] = accounts;
    if (!gone) throw new Error('no account');
    h.provider.accounts.delete(gone.externalId);
    h.clock.advanceSeconds(60);
    await sync.run(jobContext());
    expect(h.statusOf(gone.sandboxId)).toBe(SandboxStatus.Stale);

    h.clock.advanceSeconds(24 * 3600 - 1);
    expect(await purge.run(jobContext())).toEqual({ checked: 1, purged: 0, failed: 0 });
    h.clock.advanceSeconds(1);
    expect(await purge.run(jobContext())).toEqual({ checked: 1, purged: 1, failed: 0 });
    expect(h.statusOf(gone.sandboxId)).toBe(SandboxStatus.Deleted);

    h.provider.accounts.set(gone.externalId, gone);
    await sync.run(jobContext());
    expect(h.statusOf(gone.sandboxId)).toBe(SandboxStatus.Deleted);
  });
});
