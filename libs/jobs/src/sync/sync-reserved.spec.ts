import { SandboxStatus } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { jobContext, jobHarness } from '../testing/harness';
import { SyncJob } from './sync.job';

describe('SyncJob and earmarked sandboxes', () => {
  it('leaves earmarked rows alone, and reports one whose account vanished (reserved → stale)', async () => {
    const accounts = aProviderPool(3, 'lab-rsv-');
    const h = jobHarness(accounts);
    const job = new SyncJob({
      provider: h.provider,
      pool: h.pool,
      lifecycle: h.lifecycle,
      clock: h.clock,
      events: h.store.events,
    });
    await job.run(jobContext());
    const [kept, gone] = accounts;
    if (!kept || !gone) throw new Error('no accounts');
    for (const id of [kept.sandboxId, gone.sandboxId]) {
      expect(await h.store.reservationLifecycle.earmarkSandbox('rsv-1', id)).toBe(true);
    }
    h.provider.accounts.delete(gone.externalId);
    h.clock.advanceSeconds(60);
    const result = await job.run(jobContext());
    expect(result).toMatchObject({ markedStale: 1, untouched: 1 });
    expect(h.statusOf(kept.sandboxId)).toBe(SandboxStatus.Reserved);
    expect(h.statusOf(gone.sandboxId)).toBe(SandboxStatus.Stale);
    const events = await h.store.events.list({ sandboxId: gone.sandboxId, limit: 5 });
    expect(events.items[0]).toMatchObject({
      from: SandboxStatus.Reserved,
      to: SandboxStatus.Stale,
      action: 'reserved_vanished',
      details: { reservation_id: 'rsv-1' },
    });
  });
});
