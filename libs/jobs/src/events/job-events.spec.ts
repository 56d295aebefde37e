import type { SandboxEvent } from '@broker/domain';
import { InMemorySandboxEventLog } from '@broker/domain/testing';
import { aProviderPool } from '@broker/domain/testing';
import { CleanupJob } from '../cleanup/cleanup.job';
import { ExpiryJob } from '../expiry/expiry.job';
import { TokenBucket } from '../limits/token-bucket';
import { StalePurgeJob } from '../stale-purge/stale-purge.job';
import { SyncJob } from '../sync/sync.job';
import { jobContext, jobHarness } from '../testing/harness';

const summary = (events: readonly SandboxEvent[]) =>
  events.map((e) => [e.sandboxId, e.from ?? null, e.to, e.action, e.actor.kind, e.actor.id]);

describe('jobs record their transitions', () => {
  it('sync records inserts, stale marks and revivals; stale purge records the tombstone', async () => {
    const accounts = aProviderPool(2, 'lab-evs-');
    const [kept, gone] = accounts;
    const h = jobHarness(accounts);
    const events = new InMemorySandboxEventLog(h.clock);
    const sync = new SyncJob({ ...h, events });
    const purge = new StalePurgeJob({ ...h, events }, { graceSeconds: 3600 });

    await sync.run(jobContext());
    await sync.run(jobContext()); // refreshes only: nothing recorded
    h.provider.accounts.delete(gone!.externalId);
    h.clock.advanceSeconds(60);
    await sync.run(jobContext());
    h.provider.accounts.set(gone!.externalId, gone!);
    await sync.run(jobContext());
    h.provider.accounts.delete(gone!.externalId);
    h.clock.advanceSeconds(60);
    await sync.run(jobContext());
    h.clock.advanceSeconds(3600);
    await purge.run(jobContext());

    const inserts = events.all().slice(0, 2);
    expect(summary(inserts).sort()).toEqual(
      [
        [kept!.sandboxId, null, 'available', 'insert', 'job', 'sync'],
        [gone!.sandboxId, null, 'available', 'insert', 'job', 'sync'],
      ].sort(),
    );
    expect(summary(events.all().slice(2))).toEqual([
      [gone!.sandboxId, 'available', 'stale', 'mark_stale', 'job', 'sync'],
      [gone!.sandboxId, 'stale', 'available', 'revive', 'job', 'sync'],
      [gone!.sandboxId, 'available', 'stale', 'mark_stale', 'job', 'sync'],
      [gone!.sandboxId, 'stale', 'deleted', 'purge_stale', 'job', 'stale-purge'],
    ]);
  });

  it('expiry records allocated → pending_deletion, and nothing when a release won', async () => {
    const accounts = aProviderPool(2, 'lab-eve-');
    const h = jobHarness(accounts);
    h.pool.seed(accounts);
    const events = new InMemorySandboxEventLog(h.clock);
    const a = await h.pool.allocate({ studentId: 'a', idempotencyKey: 'a' });
    const b = await h.pool.allocate({ studentId: 'b', idempotencyKey: 'b' });
    h.clock.advanceSeconds(h.lease.leaseSeconds + h.lease.graceSeconds);
    // A release landing between the job's read and its write: the conditional write loses.
    const lifecycle = {
      expire: async (sandboxId: string, cutoff: number) => {
        if (sandboxId === b.sandbox.sandboxId) await h.pool.release(sandboxId, 'b');
        return h.lifecycle.expire(sandboxId, cutoff);
      },
    };
    const result = await new ExpiryJob({ ...h, lifecycle, events }).run(jobContext());
    expect(result).toMatchObject({ checked: 2, expired: 1 });
    expect(summary(events.all())).toEqual([
      [a.sandbox.sandboxId, 'allocated', 'pending_deletion', 'expire', 'job', 'expiry'],
    ]);
  });

  it('cleanup records deleted, deletion_failed and quarantined outcomes with details', async () => {
    const accounts = aProviderPool(2, 'lab-evc-');
    const h = jobHarness(accounts);
    h.pool.seed(accounts);
    const ids: string[] = [];
    for (const s of ['x', 'y']) {
      const { sandbox } = await h.pool.allocate({ studentId: s, idempotencyKey: s });
      await h.pool.release(sandbox.sandboxId, s);
      ids.push(sandbox.sandboxId);
    }
    const [ok, failing] = ids;
    const externalOf = new Map(accounts.map((a) => [a.externalId, a.sandboxId]));
    const original = h.provider.deleteScript;
    h.provider.deleteScript = (externalId, call) =>
      externalOf.get(externalId) === failing
        ? { kind: 'retryable', status: 500, reason: 'HTTP 500' }
        : original(externalId, call);
    const events = new InMemorySandboxEventLog(h.clock);
    const job = new CleanupJob(
      { ...h, limiter: new TokenBucket({ ratePerSec: 1000, capacity: 100, paddingMs: 0 }), events },
      {
        concurrency: 1,
        maxAttempts: 2,
        backoffBaseSec: 10,
        backoffMaxSec: 60,
        stuckAfterSec: 900,
        preDelete: false,
      },
    );
    await job.run(jobContext());
    h.clock.advanceSeconds(10);
    await job.run(jobContext());

    const byAction = (action: string) => events.all().filter((e) => e.action === action);
    expect(events.all().every((e) => e.from === 'deleting' && e.actor.id === 'cleanup')).toBe(true);
    expect(byAction('delete').map((e) => [e.sandboxId, e.to])).toEqual([[ok, 'deleted']]);
    expect(byAction('delete_failed')).toEqual([
      expect.objectContaining({
        sandboxId: failing,
        to: 'deletion_failed',
        details: expect.objectContaining({ attempts: 1, error: 'CSP delete: HTTP 500' }) as object,
      }),
    ]);
    expect(byAction('quarantine')).toEqual([
      expect.objectContaining({
        sandboxId: failing,
        to: 'quarantined',
        details: expect.objectContaining({ attempts: 2 }) as object,
      }),
    ]);
    expect(events.all()).toHaveLength(3);
  });
});
