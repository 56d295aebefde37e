import { CLAIM_POLICY, SandboxStatus } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { PoolGaugesJob } from '../pool-gauges/pool-gauges.job';
import { jobContext, jobHarness } from '../testing/harness';
import { ClaimRepairJob } from './claim-repair.job';

describe('ClaimRepairJob', () => {
  it('cleans up a claim whose writer crashed before allocating, once past its deadline', async () => {
    const accounts = aProviderPool(2, 'lab-claim-');
    const h = jobHarness(accounts);
    h.pool.seed(accounts);
    const nowMs = h.clock.nowMs();
    h.pool.plantClaim({
      studentId: 'crashed',
      idempotencyKey: 'crashed',
      sandboxId: accounts[0]?.sandboxId ?? '',
      token: 'tok-1',
      createdAt: nowMs,
      deadlineMs: nowMs + CLAIM_POLICY.writerWindowMs,
      supersededSandboxIds: [],
    });
    const job = new ClaimRepairJob({ pool: h.pool, clock: h.clock });
    expect(await job.run(jobContext())).toEqual({
      confirmed: 0,
      abandoned: 0,
      skipped: 0,
      failed: 0,
    });

    h.clock.advanceSeconds(
      (CLAIM_POLICY.writerWindowMs + CLAIM_POLICY.takeoverMarginMs) / 1000 + 1,
    );
    expect(await job.run(jobContext())).toMatchObject({ abandoned: 1 });
    expect(h.pool.claimOf('crashed', 'crashed')).toBeNull();
    // The student starts clean and gets a sandbox at once.
    const again = await h.pool.allocate({ studentId: 'crashed', idempotencyKey: 'crashed' });
    expect(again.created).toBe(true);

    const counts = await new PoolGaugesJob({ pool: h.pool }).run();
    expect(counts).toMatchObject({
      [SandboxStatus.Available]: 1,
      [SandboxStatus.Allocated]: 1,
      total: 2,
    });
  });
});
