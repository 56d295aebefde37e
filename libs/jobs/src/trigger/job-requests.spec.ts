import type { ProviderSandbox } from '@broker/domain';
import {
  aProviderPool,
  InMemoryJobLeaseRepository,
  InMemoryJobRunRepository,
} from '@broker/domain/testing';
import { silentJobLogger } from '../runner/job';
import { JobSet } from '../runner/job-set';
import { RunTracker } from '../runner/run-tracker';
import { jobHarness } from '../testing/harness';
import { type JobPickupEvent, JobRequestPoller } from './job-request-poller';
import { type JobRequestEvent, JobRequests } from './job-requests';

const LEASE_TTL_MS = 30_000;
const PICKUP_MS = 10_000;

const pollers: NodeJS.Timeout[] = [];
afterEach(() => {
  pollers.forEach((timer) => clearInterval(timer));
  pollers.length = 0;
});

function setup() {
  const accounts = aProviderPool(5);
  const h = jobHarness(accounts);
  const leases = new InMemoryJobLeaseRepository(h.clock);
  const runs = new InMemoryJobRunRepository(h.clock);
  const jobSet = (workerId: string) =>
    new JobSet({
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
      workerId,
    });
  const requested: JobRequestEvent[] = [];
  const picked: JobPickupEvent[] = [];
  const requests = new JobRequests({
    runs,
    leases,
    clock: h.clock,
    leaseTtlMs: LEASE_TTL_MS,
    pickupTimeoutMs: PICKUP_MS,
    readEveryMs: 5,
    onEvent: (event) => requested.push(event),
  });
  const worker = (workerId = 'worker-test') => {
    const tracker = new RunTracker();
    const poller = new JobRequestPoller({
      jobs: jobSet(workerId),
      runs,
      clock: h.clock,
      tracker,
      leaseTtlMs: LEASE_TTL_MS,
      onEvent: (event) => picked.push(event),
    });
    return { tracker, poller };
  };
  const w = worker();
  const startPolling = () => {
    // The worker's poll loop: every 5 ms until the test ends (afterEach clears it).
    const timer = setInterval(() => void w.poller.pollOnce(), 5);
    pollers.push(timer);
  };
  const stopPolling = () => pollers.forEach((timer) => clearInterval(timer));
  return {
    ...h,
    accounts,
    leases,
    runs,
    requests,
    worker,
    ...w,
    startPolling,
    stopPolling,
    requested,
    picked,
  };
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

describe('JobRequests + JobRequestPoller (admin triggers run in the worker)', () => {
  it('answers completed with the result when the worker ends the run within the wait', async () => {
    const { requests, runs, statusOf, accounts, startPolling, requested, picked } = setup();
    startPolling();
    const outcome = await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 5_000 });
    expect(outcome.kind).toBe('completed');
    if (outcome.kind !== 'completed') return;
    expect(outcome.record).toMatchObject({
      job: 'sync',
      status: 'succeeded',
      triggeredBy: 'ops',
      owner: `worker-test:${outcome.record.runId}`,
    });
    expect(outcome.record.result).toMatchObject({ listed: 5, inserted: 5 });
    expect(statusOf(accounts[0]!.sandboxId)).toBe('available');
    expect(await runs.get(outcome.record.runId)).toMatchObject({ status: 'succeeded' });
    expect(requested).toEqual(['requested']);
    expect(picked).toEqual(['picked_up']);
  });

  it('answers busy with the holder while another process holds the job lease', async () => {
    const { requests, leases, requested } = setup();
    await leases.acquire('cleanup', 'worker-1:run-9', LEASE_TTL_MS);
    const outcome = await requests.trigger('cleanup', { triggeredBy: 'ops', waitMs: 5_000 });
    expect(outcome).toEqual({
      kind: 'busy',
      holder: expect.objectContaining({ owner: 'worker-1:run-9' }) as unknown,
    });
    expect(requested).toEqual(['refused']);
  });

  it('answers accepted when the run outlasts the wait; the outcome is readable afterwards', async () => {
    const { requests, provider, startPolling, tracker } = setup();
    const held = holdList(provider);
    startPolling();
    const outcome = await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 200 });
    expect(outcome.kind).toBe('accepted');
    const runId = outcome.kind === 'accepted' ? outcome.record.runId : '';
    expect(await requests.status(runId)).toMatchObject({ status: 'running', job: 'sync' });
    // A second trigger meanwhile finds the lease held by the first run.
    expect((await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 20 })).kind).toBe('busy');
    held.release();
    await tracker.idle();
    expect(await requests.status(runId)).toMatchObject({
      status: 'succeeded',
      result: expect.objectContaining({ inserted: 5 }) as unknown,
    });
  });

  it('refuses a second request while the first is pending, and expires it when no worker comes', async () => {
    const { requests, clock, requested, poller, picked } = setup();
    const first = await requests.trigger('cleanup', { triggeredBy: 'ops', waitMs: 0 });
    expect(first).toMatchObject({ kind: 'accepted', record: { status: 'pending' } });
    const runId = first.kind === 'accepted' ? first.record.runId : '';
    expect(await requests.trigger('cleanup', { triggeredBy: 'ops', waitMs: 0 })).toEqual({
      kind: 'busy',
      holder: null,
    });
    clock.advanceSeconds(PICKUP_MS / 1000 + 1);
    expect(await requests.status(runId)).toMatchObject({ status: 'expired' });
    expect(requested).toEqual(['requested', 'refused', 'expired']);
    // A worker that comes late neither runs it nor counts it twice.
    expect(await poller.pollOnce()).toEqual([]);
    expect(picked).toEqual([]);
    // The slot is free again.
    const again = await requests.trigger('cleanup', { triggeredBy: 'ops', waitMs: 0 });
    expect(again).toMatchObject({ kind: 'accepted', record: { status: 'pending' } });
  });

  it('a worker that finds an overdue request marks it expired and counts it', async () => {
    const { requests, clock, poller, picked, runs } = setup();
    const first = await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 0 });
    const runId = first.kind === 'accepted' ? first.record.runId : '';
    clock.advanceSeconds(PICKUP_MS / 1000 + 1);
    expect(await poller.pollOnce()).toEqual([]);
    expect(picked).toEqual(['expired']);
    expect(await runs.get(runId)).toMatchObject({ status: 'expired' });
  });

  it('hands a request to exactly one of two workers', async () => {
    const { requests, worker, poller, tracker } = setup();
    const other = worker('worker-other');
    await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 0 });
    const [a, b] = await Promise.all([poller.pollOnce(), other.poller.pollOnce()]);
    expect(a.length + b.length).toBe(1);
    const [record] = await Promise.all([...a, ...b]);
    expect(record).toMatchObject({ status: 'succeeded' });
    await Promise.all([tracker.idle(), other.tracker.idle()]);
  });

  it('records a failed run with its error', async () => {
    const { requests, provider, startPolling } = setup();
    provider.listError = new Error('CSP answered 503');
    startPolling();
    const outcome = await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 5_000 });
    expect(outcome).toMatchObject({
      kind: 'completed',
      record: { status: 'failed', error: 'CSP answered 503' },
    });
  });

  it('reports a run as lost when it is still marked running but its lease lapsed', async () => {
    const { requests, runs, clock } = setup();
    await runs.save({
      runId: 'r-1',
      job: 'cleanup',
      status: 'running',
      owner: 'worker-dead:r-1',
      triggeredBy: 'ops',
      startedAtMs: clock.nowMs(),
    });
    expect(await requests.status('r-1')).toMatchObject({ status: 'running' });
    clock.advanceSeconds(LEASE_TTL_MS / 1000 + 1);
    expect(await requests.status('r-1')).toMatchObject({ status: 'lost' });
    expect(await requests.status('unknown')).toBeNull();
  });

  it('on worker shutdown stops picked-up runs, keeping the outcome; the API refuses after its own', async () => {
    const { requests, provider, poller, tracker } = setup();
    const held = holdList(provider);
    const outcome = await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 0 });
    const runId = outcome.kind === 'accepted' ? outcome.record.runId : '';
    expect(runId).not.toBe('');
    expect(await poller.pollOnce()).toHaveLength(1);
    const stopping = tracker.shutdown(5_000);
    held.release();
    await stopping;
    // The run saw the stop signal: it ended (recorded) without writing the pool.
    expect(await requests.status(runId)).toMatchObject({
      status: 'succeeded',
      result: expect.objectContaining({ stopped: true, inserted: 0 }) as unknown,
    });
    requests.shutdown();
    expect((await requests.trigger('sync', { triggeredBy: 'ops', waitMs: 20 })).kind).toBe('busy');
  });
});
