import type { ProviderSandbox } from '@broker/domain';
import {
  aProviderPool,
  InMemoryJobLeaseRepository,
  InMemoryJobRunRepository,
} from '@broker/domain/testing';
import { silentJobLogger } from '../runner/job';
import { JobSet } from '../runner/job-set';
import { jobHarness } from '../testing-support/harness';
import { JobTrigger } from './job-trigger';

const LEASE_TTL_MS = 30_000;

function setup() {
  const accounts = aProviderPool(5);
  const h = jobHarness(accounts);
  const leases = new InMemoryJobLeaseRepository(h.clock);
  const runs = new InMemoryJobRunRepository();
  const jobs = new JobSet({
    settings: {
      leaseTtlMs: LEASE_TTL_MS,
      staleGraceSeconds: 3600,
      cleanup: {
        concurrency: 2,
        ratePerSec: 100,
        maxAttempts: 3,
        backoffBaseSec: 1,
        backoffMaxSec: 10,
        stuckAfterSec: 600,
        preDelete: false,
      },
    },
    storage: { ...h.store, leases },
    provider: h.provider,
    clock: h.clock,
    lease: h.lease,
    logger: silentJobLogger,
    workerId: 'api-test',
  });
  const trigger = new JobTrigger({
    jobs,
    runs,
    leases,
    clock: h.clock,
    leaseTtlMs: LEASE_TTL_MS,
  });
  return { ...h, accounts, leases, runs, trigger };
}

/** Holds the provider's list call until released, so a run outlasts the trigger's wait. */
function holdList(provider: { listSandboxes(): Promise<ProviderSandbox[]> }) {
  const original = provider.listSandboxes.bind(provider);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  provider.listSandboxes = async () => {
    await gate;
    return original();
  };
  return { release };
}

describe('JobTrigger', () => {
  it('answers completed with the result when the run ends within the wait, and keeps the record', async () => {
    const { trigger, runs, statusOf, accounts } = setup();
    const outcome = await trigger.trigger('sync', { triggeredBy: 'ops', waitMs: 5_000 });
    expect(outcome.kind).toBe('completed');
    if (outcome.kind !== 'completed') return;
    expect(outcome.record).toMatchObject({ job: 'sync', status: 'succeeded', triggeredBy: 'ops' });
    expect(outcome.record.result).toMatchObject({ listed: 5, inserted: 5 });
    expect(statusOf(accounts[0]!.sandboxId)).toBe('available');
    expect(await runs.get(outcome.record.runId)).toMatchObject({ status: 'succeeded' });
  });

  it('answers busy with the holder while another process holds the job lease', async () => {
    const { trigger, leases } = setup();
    await leases.acquire('cleanup', 'worker-1:run-9', LEASE_TTL_MS);
    const outcome = await trigger.trigger('cleanup', { triggeredBy: 'ops', waitMs: 5_000 });
    expect(outcome).toEqual({
      kind: 'busy',
      holder: expect.objectContaining({ owner: 'worker-1:run-9' }) as unknown,
    });
  });

  it('answers accepted when the run outlasts the wait; the outcome is readable afterwards', async () => {
    const { trigger, provider } = setup();
    const held = holdList(provider);
    const outcome = await trigger.trigger('sync', { triggeredBy: 'ops', waitMs: 20 });
    expect(outcome.kind).toBe('accepted');
    const runId = outcome.kind === 'accepted' ? outcome.record.runId : '';
    expect(await trigger.status(runId)).toMatchObject({ status: 'running', job: 'sync' });
    // A second trigger meanwhile finds the lease held by the first run.
    expect((await trigger.trigger('sync', { triggeredBy: 'ops', waitMs: 20 })).kind).toBe('busy');
    held.release();
    await trigger.idle();
    expect(await trigger.status(runId)).toMatchObject({
      status: 'succeeded',
      result: expect.objectContaining({ inserted: 5 }) as unknown,
    });
  });

  it('records a failed run with its error', async () => {
    const { trigger, provider } = setup();
    provider.listError = new Error('CSP answered 503');
    const outcome = await trigger.trigger('sync', { triggeredBy: 'ops', waitMs: 5_000 });
    expect(outcome).toMatchObject({
      kind: 'completed',
      record: { status: 'failed', error: 'CSP answered 503' },
    });
  });

  it('reports a run as lost when it is still marked running but its lease lapsed', async () => {
    const { trigger, runs, clock } = setup();
    await runs.save({
      runId: 'r-1',
      job: 'cleanup',
      status: 'running',
      owner: 'api-dead:r-1',
      triggeredBy: 'ops',
      startedAtMs: clock.nowMs(),
    });
    expect(await trigger.status('r-1')).toMatchObject({ status: 'running' });
    clock.advanceSeconds(LEASE_TTL_MS / 1000 + 1);
    expect(await trigger.status('r-1')).toMatchObject({ status: 'lost' });
    expect(await trigger.status('unknown')).toBeNull();
  });

  it('on shutdown stops background runs and refuses new triggers, keeping the outcome', async () => {
    const { trigger, provider } = setup();
    const held = holdList(provider);
    const outcome = await trigger.trigger('sync', { triggeredBy: 'ops', waitMs: 20 });
    const runId = outcome.kind === 'accepted' ? outcome.record.runId : '';
    expect(runId).not.toBe('');
    const stopping = trigger.shutdown(5_000);
    held.release();
    await stopping;
    // The run saw the stop signal: it ended (recorded) without writing the pool.
    expect(await trigger.status(runId)).toMatchObject({
      status: 'succeeded',
      result: expect.objectContaining({ stopped: true, inserted: 0 }) as unknown,
    });
    expect((await trigger.trigger('sync', { triggeredBy: 'ops', waitMs: 20 })).kind).toBe('busy');
  });
});
