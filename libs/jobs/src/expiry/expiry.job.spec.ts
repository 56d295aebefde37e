import { SandboxStatus } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { jobContext, jobHarness } from '../testing/harness';
import { ExpiryJob } from './expiry.job';

describe('ExpiryJob', () => {
  it('moves allocated sandboxes past expires_at + grace to pending_deletion, and only those', async () => {
    const accounts = aProviderPool(3, 'lab-exp-');
    const h = jobHarness(accounts);
    h.pool.seed(accounts);
    const early = await h.pool.allocate({ studentId: 'early', idempotencyKey: 'early' });
    h.clock.advanceSeconds(1800);
    const late = await h.pool.allocate({ studentId: 'late', idempotencyKey: 'late' });
    const job = new ExpiryJob({
      pool: h.pool,
      lifecycle: h.lifecycle,
      clock: h.clock,
      lease: h.lease,
    });

    // early: expires at +3600, due at +4200 (grace 600). Now +1800 + 2399 = +4199.
    h.clock.advanceSeconds(2399);
    expect(await job.run(jobContext())).toEqual({ checked: 2, expired: 0, failed: 0 });
    h.clock.advanceSeconds(1);
    expect(await job.run(jobContext())).toEqual({ checked: 2, expired: 1, failed: 0 });
    expect(await h.pool.get(early.sandbox.sandboxId)).toMatchObject({
      status: SandboxStatus.PendingDeletion,
      deletionRequestedAt: Math.floor(h.clock.nowMs() / 1000),
      ownerId: 'early',
    });
    expect(h.statusOf(late.sandbox.sandboxId)).toBe(SandboxStatus.Allocated);
  });

  it('loses cleanly to a release that lands first', async () => {
    const accounts = aProviderPool(1, 'lab-exp2-');
    const h = jobHarness(accounts);
    h.pool.seed(accounts);
    const { sandbox } = await h.pool.allocate({ studentId: 's', idempotencyKey: 's' });
    h.clock.advanceSeconds(5000);
    await h.pool.release(sandbox.sandboxId, 's');
    expect(await h.lifecycle.expire(sandbox.sandboxId, Math.floor(h.clock.nowMs() / 1000))).toBe(
      false,
    );
  });
});
