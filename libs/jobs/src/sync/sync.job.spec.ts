import { SandboxStatus } from '@broker/domain';
import { aProviderPool, InMemorySandboxEventLog } from '@broker/domain/testing';
import { jobContext, jobHarness } from '../testing/harness';
import { SyncJob } from './sync.job';

describe('SyncJob', () => {
  function setup(count = 4) {
    const accounts = aProviderPool(count, 'lab-sync-');
    const h = jobHarness(accounts);
    const job = new SyncJob({
      provider: h.provider,
      pool: h.pool,
      lifecycle: h.lifecycle,
      clock: h.clock,
    });
    return { ...h, accounts, job };
  }

  it('inserts every listed sandbox as available, then refreshes available rows only', async () => {
    const { job, accounts, pool, provider, clock, statusOf } = setup();
    const first = await job.run(jobContext());
    expect(first).toMatchObject({ listed: 4, inserted: 4, markedStale: 0 });

    const [a, b] = accounts;
    const taken = await pool.allocate({ studentId: 's1', idempotencyKey: 's1' });
    // The provider renames every account; only available rows take the change.
    for (const account of accounts) {
      provider.accounts.set(account.externalId, { ...account, sfdcAccountId: '001SANDNEW' });
    }
    clock.advanceSeconds(60);
    const second = await job.run(jobContext());
    expect(second).toMatchObject({ refreshed: 3, untouched: 1, inserted: 0 });
    const allocated = await pool.get(taken.sandbox.sandboxId);
    expect(allocated).toMatchObject({
      status: SandboxStatus.Allocated,
      ownerId: 's1',
      sfdcAccountId: null,
    });
    const other = [a, b].find((x) => x?.sandboxId !== taken.sandbox.sandboxId);
    expect((await pool.get(other?.sandboxId ?? ''))?.sfdcAccountId).toBe('001SANDNEW');
    expect(statusOf(taken.sandbox.sandboxId)).toBe(SandboxStatus.Allocated);
  });

  it('marks vanished available rows stale and revives them when they reappear', async () => {
    const { job, accounts, provider, clock, statusOf, pool } = setup();
    await job.run(jobContext());
    const [gone, , , held] = accounts;
    if (!gone || !held) throw new Error('no accounts');
    await pool.allocate({ studentId: 's1', idempotencyKey: 's1', namePrefix: held.name });
    provider.accounts.delete(gone.externalId);
    provider.accounts.delete(held.externalId);

    clock.advanceSeconds(60);
    expect((await job.run(jobContext())).markedStale).toBe(1);
    expect(statusOf(gone.sandboxId)).toBe(SandboxStatus.Stale);
    // An allocated row whose account vanished stays allocated.
    expect(statusOf(held.sandboxId)).toBe(SandboxStatus.Allocated);

    provider.accounts.set(gone.externalId, gone);
    clock.advanceSeconds(60);
    expect((await job.run(jobContext())).revived).toBe(1);
    expect(statusOf(gone.sandboxId)).toBe(SandboxStatus.Available);
  });

  it('never resurrects a tombstone the provider still lists', async () => {
    const { job, pool, lifecycle, clock, statusOf } = setup(2);
    await job.run(jobContext());
    const taken = await pool.allocate({ studentId: 's1', idempotencyKey: 's1' });
    await pool.release(taken.sandbox.sandboxId, 's1');
    const claim = await lifecycle.claimDeletion(taken.sandbox.sandboxId, 'w1');
    if (!claim) throw new Error('not claimed');
    await lifecycle.completeDeletion(claim);
    clock.advanceSeconds(60);
    const r = await job.run(jobContext());
    expect(r.untouched).toBe(1);
    expect(statusOf(taken.sandbox.sandboxId)).toBe(SandboxStatus.Deleted);
  });

  it('reports a tombstone the provider still lists and deletes its account again', async () => {
    const accounts = aProviderPool(2, 'lab-sync-');
    const h = jobHarness(accounts);
    const events = new InMemorySandboxEventLog(h.clock);
    const job = new SyncJob({ ...h, events });
    await job.run(jobContext());
    const taken = await h.pool.allocate({ studentId: 's1', idempotencyKey: 's1' });
    await h.pool.release(taken.sandbox.sandboxId, 's1');
    const claim = await h.lifecycle.claimDeletion(taken.sandbox.sandboxId, 'w1');
    await h.lifecycle.completeDeletion(claim!);
    // The deletion was confirmed, yet the provider still lists the account.
    h.clock.advanceSeconds(60);
    const r = await job.run(jobContext());
    expect(r).toMatchObject({ tombstonesListed: 1, tombstonesRedeleted: 1 });
    expect((await h.store.admin.stats()).providerDiscrepancies).toEqual({
      tombstonesStillListed: 1,
      allocatedVanished: 0,
      atMs: h.clock.nowMs(),
    });
    expect(h.provider.deleteCalls).toEqual([taken.sandbox.externalId]);
    expect(h.statusOf(taken.sandbox.sandboxId)).toBe(SandboxStatus.Deleted);
    const { items } = await events.list({ limit: 10, sandboxId: taken.sandbox.sandboxId });
    expect(items[0]).toMatchObject({
      action: 'tombstone_still_listed',
      details: { redelete: 'gone' },
    });
    // Gone now: the next sync has nothing to report.
    h.clock.advanceSeconds(60);
    expect(await job.run(jobContext())).toMatchObject({ tombstonesListed: 0 });
  });

  it('fails the run on a list error and marks nothing stale on an empty list', async () => {
    const { job, provider, clock, pool } = setup(3);
    await job.run(jobContext());
    provider.listError = new Error('CSP list: HTTP 503');
    await expect(job.run(jobContext())).rejects.toThrow('503');
    provider.listError = null;
    provider.accounts.clear();
    clock.advanceSeconds(60);
    const r = await job.run(jobContext());
    expect(r).toMatchObject({ staleMarkingSkipped: true, markedStale: 0 });
    expect((await pool.countByStatus()).available).toBe(3);
  });
});
