import { SandboxStatus, type ProviderSandbox } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { TokenBucket } from '../limits/token-bucket';
import { jobContext, jobHarness } from '../testing/harness';
import { CleanupJob, type CleanupOptions } from './cleanup.job';

const OPTIONS: CleanupOptions = {
  concurrency: 3,
  maxAttempts: 3,
  backoffBaseSec: 10,
  backoffMaxSec: 60,
  stuckAfterSec: 900,
  preDelete: false,
};

/** A pool where `released` sandboxes were allocated and released (pending_deletion). */
async function released(count: number, extra = 0) {
  const accounts = aProviderPool(count + extra, 'lab-clean-');
  const h = jobHarness(accounts);
  h.pool.seed(accounts);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { sandbox } = await h.pool.allocate({ studentId: `s${i}`, idempotencyKey: `s${i}` });
    await h.pool.release(sandbox.sandboxId, `s${i}`);
    ids.push(sandbox.sandboxId);
  }
  const job = (options: Partial<CleanupOptions> = {}) =>
    new CleanupJob(
      {
        provider: h.provider,
        pool: h.pool,
        lifecycle: h.lifecycle,
        clock: h.clock,
        limiter: new TokenBucket({ ratePerSec: 1000, capacity: 100, paddingMs: 0 }),
      },
      { ...OPTIONS, ...options },
    );
  const byId = new Map<string, ProviderSandbox>(accounts.map((a) => [a.sandboxId, a]));
  return { ...h, ids, job, byId };
}

describe('CleanupJob', () => {
  it('deletes released sandboxes at the provider and leaves tombstones', async () => {
    const { ids, job, statusOf, provider, byId } = await released(5, 2);
    const r = await job().run(jobContext());
    expect(r.attempts.deleted).toBe(5);
    for (const id of ids) expect(statusOf(id)).toBe(SandboxStatus.Deleted);
    expect(provider.deleteCalls.sort()).toEqual(ids.map((id) => byId.get(id)?.externalId).sort());
    // Nothing left to do: a second run calls the provider no more.
    await job().run(jobContext());
    expect(provider.deleteCalls).toHaveLength(5);
  });

  it('retries failures with back-off and quarantines after the last attempt', async () => {
    const { ids, job, statusOf, provider, pool, clock } = await released(1);
    const id = ids[0] ?? '';
    provider.deleteScript = () => ({ kind: 'retryable', status: 500, reason: 'HTTP 500 <html>' });

    expect((await job().run(jobContext())).attempts.retry_scheduled).toBe(1);
    expect(await pool.get(id)).toMatchObject({
      status: SandboxStatus.DeletionFailed,
      deletionAttempts: 1,
      nextAttemptAt: Math.floor(clock.nowMs() / 1000) + 10,
    });
    // Not due yet: no provider call.
    await job().run(jobContext());
    expect(provider.deleteCalls).toHaveLength(1);

    clock.advanceSeconds(10);
    await job().run(jobContext());
    expect(await pool.get(id)).toMatchObject({ deletionAttempts: 2 });
    expect((await pool.get(id))?.nextAttemptAt).toBe(Math.floor(clock.nowMs() / 1000) + 20);

    clock.advanceSeconds(20);
    expect((await job().run(jobContext())).attempts.quarantined).toBe(1);
    expect(statusOf(id)).toBe(SandboxStatus.Quarantined);
    expect((await pool.get(id))?.quarantineReason).toContain('3 failed deletion attempts');
  });

  it('honours Retry-After when it is longer than the back-off', async () => {
    const { ids, job, provider, pool, clock } = await released(1);
    provider.deleteScript = () => ({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 45_000,
      reason: '429',
    });
    await job().run(jobContext());
    expect((await pool.get(ids[0] ?? ''))?.nextAttemptAt).toBe(
      Math.floor(clock.nowMs() / 1000) + 45,
    );
  });

  it('stops at an open breaker and leaves the rest pending, uncounted', async () => {
    const { ids, job, provider, statusOf, pool } = await released(6);
    provider.deleteScript = (_id, call) => {
      if (call >= 2) provider.breaker.delete = 'open';
      return call >= 2
        ? { kind: 'retryable', retryAfterMs: 30_000, reason: 'breaker open' }
        : undefined;
    };
    const r = await job({ concurrency: 1 }).run(jobContext());
    expect(r.stoppedBy).toBe('breaker');
    expect(r.attempts).toMatchObject({ deleted: 1, abandoned: 1, retry_scheduled: 0 });
    const statuses = ids.map(statusOf);
    expect(statuses.filter((s) => s === SandboxStatus.Deleted)).toHaveLength(1);
    expect(statuses.filter((s) => s === SandboxStatus.PendingDeletion)).toHaveLength(5);
    for (const id of ids) expect((await pool.get(id))?.deletionAttempts).toBe(0);

    // While it stays open the next run does not call the provider at all.
    const calls = provider.deleteCalls.length;
    expect((await job().run(jobContext())).stoppedBy).toBe('breaker');
    expect(provider.deleteCalls).toHaveLength(calls);
  });

  it('retries the NIOSXaaS pre-clean until it succeeds, then deletes without redoing it', async () => {
    const { ids, job, provider, statusOf, clock, pool } = await released(1);
    const id = ids[0] ?? '';
    let preCalls = 0;
    provider.preDeleteScript = () => {
      preCalls += 1;
      return preCalls === 1
        ? { kind: 'retryable', status: 502, reason: 'sign-in 502' }
        : { kind: 'done', outcome: 'cleaned', deleted: [{}] };
    };
    provider.deleteScript = (_id, call) =>
      call === 1 ? { kind: 'retryable', status: 500, reason: 'HTTP 500' } : undefined;

    await job({ preDelete: true }).run(jobContext());
    expect(provider.deleteCalls).toHaveLength(0);
    expect((await pool.get(id))?.lastError).toContain('NIOSXaaS pre-clean');

    clock.advanceSeconds(60);
    const second = await job({ preDelete: true }).run(jobContext());
    expect(second.preDelete).toEqual({ done: 1, failed: 0, skipped: 0, servicesDeleted: 1 });
    expect(statusOf(id)).toBe(SandboxStatus.DeletionFailed);

    clock.advanceSeconds(60);
    const third = await job({ preDelete: true }).run(jobContext());
    // Already pre-cleaned: counted as skipped (the console's NIOSXaaS "skipped").
    expect(third.preDelete).toMatchObject({ done: 0, failed: 0, skipped: 1 });
    expect(statusOf(id)).toBe(SandboxStatus.Deleted);
    expect(preCalls).toBe(2);
  });

  it('never deletes one account twice when two runs race', async () => {
    const { ids, job, provider, statusOf } = await released(12);
    const slow = provider.deleteSandbox.bind(provider);
    provider.deleteSandbox = async (externalId) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return slow(externalId);
    };
    await Promise.all([job().run(jobContext()), job().run(jobContext())]);
    expect(new Set(provider.deleteCalls).size).toBe(provider.deleteCalls.length);
    expect(provider.deleteCalls).toHaveLength(12);
    for (const id of ids) expect(statusOf(id)).toBe(SandboxStatus.Deleted);
  });

  it('hands in-flight claims back uncounted when abandoned at shutdown', async () => {
    const { ids, job, provider, statusOf, pool } = await released(2);
    const abandon = new AbortController();
    provider.deleteSandbox = () => {
      abandon.abort();
      return new Promise(() => undefined); // never answers
    };
    const r = await job({ concurrency: 2 }).run(jobContext({ abandon: abandon.signal }));
    expect(r.stoppedBy).toBe('shutdown');
    expect(r.attempts.abandoned).toBe(2);
    for (const id of ids) {
      expect(statusOf(id)).toBe(SandboxStatus.PendingDeletion);
      expect((await pool.get(id))?.deletionAttempts).toBe(0);
    }
  });

  it('recovers rows a crashed run left in deleting', async () => {
    const { ids, job, lifecycle, statusOf, clock } = await released(1);
    const id = ids[0] ?? '';
    expect(await lifecycle.claimDeletion(id, 'crashed-worker:run')).not.toBeNull();
    const early = await job().run(jobContext());
    expect(early).toMatchObject({ recovered: 0, candidates: 0 });
    expect(statusOf(id)).toBe(SandboxStatus.Deleting);

    clock.advanceSeconds(OPTIONS.stuckAfterSec);
    const r = await job().run(jobContext());
    expect(r.recovered).toBe(1);
    expect(statusOf(id)).toBe(SandboxStatus.Deleted);
  });
});
