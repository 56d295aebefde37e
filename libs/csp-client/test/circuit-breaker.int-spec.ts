import { type BreakerKind, type BreakerState } from '../src';
import {
  activeSandboxes,
  clientFor,
  startSimulator,
  uuid,
  waitFor,
  type RunningSimulator,
} from './testing/harness';

const HALF_OPEN_AFTER = 300;

describe('circuit breaker per kind of operation', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ poolSize: 20 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => sim.reset());

  function breakerClient() {
    const events: Array<[BreakerKind, BreakerState]> = [];
    const { client } = clientFor(sim, {
      retry: { maxRetries: 0 },
      breaker: { threshold: 3, halfOpenAfterMs: HALF_OPEN_AFTER },
    });
    client.onBreakerStateChange((upstream, state) => events.push([upstream, state]));
    return { client, events };
  }

  const ids = (): string[] => activeSandboxes(sim).map((a) => a.id);

  it('4xx answers do not count as failures', async () => {
    sim.faults.add({ operation: 'delete', status: 403 });
    const { client } = breakerClient();
    for (const id of ids().slice(0, 6)) {
      expect((await client.deleteSandbox(id)).kind).toBe('permanent');
    }
    expect(client.breakerState('delete')).toBe('closed');
    expect(sim.stats.callsFor('delete')).toBe(6);
  });

  it('opens on 5xx, rejects while open, lets one trial through when half-open, closes again', async () => {
    const { client, events } = breakerClient();
    const [a, b, c, d, e, f] = ids();

    // Three consecutive 5xx open it.
    const fault = sim.faults.add({ operation: 'delete', status: 500 });
    for (const id of [a!, b!, c!]) expect((await client.deleteSandbox(id)).kind).toBe('retryable');
    expect(client.breakerState('delete')).toBe('open');
    expect(events).toEqual([['delete', 'open']]);

    // While open: an immediate retryable result carrying the remaining time; nothing is sent.
    const rejected = await client.deleteSandbox(d!);
    expect(rejected).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(/circuit breaker open/),
    });
    const wait = rejected.kind === 'retryable' ? rejected.retryAfterMs : undefined;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(HALF_OPEN_AFTER);
    // Changed with per-operation breakers (issue #12 item 5): the open delete breaker does not
    // blind the sync; the list has its own breaker and still succeeds.
    expect((await client.listSandboxes()).length).toBeGreaterThan(0);
    expect(client.breakerState('list')).toBe('closed');
    expect(sim.stats.callsFor('delete')).toBe(3);
    expect(sim.stats.callsFor('list')).toBe(1);
    expect(client.breakerState('niosxaas')).toBe('closed');

    // Half-open with a failing (slow) trial: two concurrent calls, only one reaches the server.
    await waitFor(() => client.breakerState('delete') === 'half-open');
    sim.faults.remove(fault.id);
    sim.faults.add({ operation: 'delete', status: 500, latencyMs: 100 });
    const pair = await Promise.all([client.deleteSandbox(d!), client.deleteSandbox(e!)]);
    expect(pair.map((r) => r.kind)).toEqual(['retryable', 'retryable']);
    expect(sim.stats.callsFor('delete')).toBe(4);
    expect(client.breakerState('delete')).toBe('open');

    // Half-open with a healthy provider: the trial closes it and the waiting call goes through.
    sim.faults.clear();
    await waitFor(() => client.breakerState('delete') === 'half-open');
    const healed = await Promise.all([client.deleteSandbox(e!), client.deleteSandbox(f!)]);
    expect(healed).toEqual([{ kind: 'gone' }, { kind: 'gone' }]);
    expect(client.breakerState('delete')).toBe('closed');
    expect(sim.stats.callsFor('delete')).toBe(6);
    expect(sim.store.get(uuid(f!))).toBeUndefined();
    expect(events).toEqual([
      ['delete', 'open'],
      ['delete', 'half-open'],
      ['delete', 'open'],
      ['delete', 'half-open'],
      ['delete', 'closed'],
    ]);
  });

  it('timeouts and 429 count as failures', async () => {
    const { client } = clientFor(sim, {
      retry: { maxRetries: 0 },
      breaker: { threshold: 3, halfOpenAfterMs: 60_000 },
      timeouts: { deleteMs: 100 },
    });
    const [a, b, c] = ids();
    sim.faults.add({ operation: 'delete', hang: true, count: 2 });
    sim.faults.add({ operation: 'delete', status: 429, retryAfter: 30 });
    await client.deleteSandbox(a!);
    await client.deleteSandbox(b!);
    expect(client.breakerState('delete')).toBe('closed');
    await client.deleteSandbox(c!);
    expect(client.breakerState('delete')).toBe('open');
  });

  it('a success in between resets the count (consecutive failures only)', async () => {
    const { client } = breakerClient();
    const all = ids();
    sim.faults.add({ operation: 'delete', status: 500, count: 2 });
    await client.deleteSandbox(all[0]!);
    await client.deleteSandbox(all[1]!);
    expect(await client.deleteSandbox(all[2]!)).toEqual({ kind: 'gone' });
    sim.faults.add({ operation: 'delete', status: 500, count: 2 });
    await client.deleteSandbox(all[3]!);
    await client.deleteSandbox(all[4]!);
    expect(client.breakerState('delete')).toBe('closed');
  });

  it('an opening breaker stops the retries of the call in progress', async () => {
    const { client, retries } = clientFor(sim, {
      retry: { maxRetries: 5, initialDelayMs: 1, maxDelayMs: 5 },
      breaker: { threshold: 2, halfOpenAfterMs: 60_000 },
    });
    sim.faults.add({ operation: 'delete', status: 502 });
    const result = await client.deleteSandbox(ids()[0]!);
    expect(result).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(/circuit breaker open/),
    });
    expect(sim.stats.callsFor('delete')).toBe(2);
    expect(retries).toHaveLength(2); // the third attempt met the open breaker
  });

  it('delete failures open the delete breaker while list (sync) calls still succeed', async () => {
    const { client } = clientFor(sim, {
      retry: { maxRetries: 0 },
      breaker: { threshold: 2, halfOpenAfterMs: 60_000 },
    });
    sim.faults.add({ operation: 'delete', status: 503 });
    const [a, b] = ids();
    await client.deleteSandbox(a!);
    await client.deleteSandbox(b!);
    expect(client.breakerState('delete')).toBe('open');
    const listed = await client.listSandboxes();
    expect(listed.map((s) => s.externalId)).toContain(a);
    expect(client.breakerState('list')).toBe('closed');
    expect(await client.readAccount(a!)).toEqual({ kind: 'active' });
  });

  it('the NIOSXaaS breaker is separate from the CSP one', async () => {
    const { client } = clientFor(sim, {
      retry: { maxRetries: 0 },
      breaker: { threshold: 2, halfOpenAfterMs: 60_000 },
    });
    sim.faults.add({ operation: 'sign_in', status: 503 });
    const id = ids()[0]!;
    await client.cleanupUniversalServices(id);
    await client.cleanupUniversalServices(id);
    expect(client.breakerState('niosxaas')).toBe('open');
    expect(client.breakerState('delete')).toBe('closed');
    const rejected = await client.cleanupUniversalServices(id);
    expect(rejected).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(/NIOSXaaS sign-in: circuit breaker open/),
    });
    expect(sim.stats.callsFor('sign_in')).toBe(2);
    expect(await client.deleteSandbox(id)).toEqual({ kind: 'gone' });
  });
});
