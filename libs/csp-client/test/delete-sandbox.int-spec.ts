import { HttpCspClient } from '../src';
import {
  activeSandboxes,
  clientFor,
  startSimulator,
  uuid,
  withSimulator,
  TOKEN,
  type RunningSimulator,
} from './testing/harness';

describe('HttpCspClient.deleteSandbox against the simulator', () => {
  let sim: RunningSimulator;
  let victim: { id: string; uuid: string };

  beforeAll(async () => {
    sim = await startSimulator({ poolSize: 20 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.reset();
    const account = activeSandboxes(sim)[4]!;
    victim = { id: account.id, uuid: uuid(account.id) };
  });

  it('204: the account is gone at the provider', async () => {
    const { client } = clientFor(sim);
    expect(await client.deleteSandbox(victim.id)).toEqual({ kind: 'gone' });
    expect(sim.store.get(victim.uuid)).toBeUndefined();
    expect(sim.stats.snapshot().operations.delete.byStatus).toEqual({ '204': 1 });
  });

  it('404: already deleted counts as gone', async () => {
    const { client } = clientFor(sim);
    await client.deleteSandbox(victim.id);
    expect(await client.deleteSandbox(victim.id)).toEqual({ kind: 'gone' });
    expect(sim.stats.deletesFor(victim.uuid)).toBe(2);
    expect(sim.stats.snapshot().operations.delete.byStatus).toEqual({ '204': 1, '404': 1 });
  });

  it('200 from an asynchronous delete is gone', async () => {
    await withSimulator({ poolSize: 2, deleteDelayMs: 60_000 }, async (slow) => {
      const { client } = clientFor(slow);
      const id = activeSandboxes(slow)[0]!.id;
      expect(await client.deleteSandbox(id)).toEqual({ kind: 'gone' });
      expect(slow.store.get(uuid(id))?.state).toBe('deleting');
      expect(slow.stats.snapshot().operations.delete.byStatus).toEqual({ '200': 1 });
    });
  });

  it('500: retried with capped, jittered back-off, then retryable', async () => {
    sim.faults.add({ operation: 'delete', status: 500 });
    const { client, retries } = clientFor(sim);
    const result = await client.deleteSandbox(victim.id);
    expect(result).toEqual({
      kind: 'retryable',
      status: 500,
      reason: expect.stringMatching(/^CSP delete: HTTP 500: injected fault/),
    });
    expect(sim.stats.deletesFor(victim.uuid)).toBe(3); // 1 + maxRetries (2)
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    for (const r of retries) {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThanOrEqual(20); // maxDelayMs
      expect(r.reason).toMatch(/HTTP 500/);
    }
    expect(sim.store.get(victim.uuid)).toBeDefined();
  });

  it('a transient 503 is retried and the delete then succeeds', async () => {
    sim.faults.add({ operation: 'delete', status: 503, count: 1 });
    const { client } = clientFor(sim);
    expect(await client.deleteSandbox(victim.id)).toEqual({ kind: 'gone' });
    expect(sim.stats.snapshot().operations.delete.byStatus).toEqual({ '503': 1, '204': 1 });
  });

  it('429 with a short Retry-After: waits at least that long, then succeeds', async () => {
    sim.faults.add({ operation: 'delete', status: 429, retryAfter: 1, count: 1 });
    const { client, retries } = clientFor(sim);
    expect(await client.deleteSandbox(victim.id)).toEqual({ kind: 'gone' });
    expect(retries).toHaveLength(1);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
  });

  it('429 with a long Retry-After (seconds): handed back to the caller, not slept through', async () => {
    sim.faults.add({ operation: 'delete', status: 429, retryAfter: 120 });
    const { client, retries } = clientFor(sim);
    expect(await client.deleteSandbox(victim.id)).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 120_000,
    });
    expect(retries).toHaveLength(0);
    expect(sim.stats.deletesFor(victim.uuid)).toBe(1);
  });

  it('503 with Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 3_600_000).toUTCString();
    sim.faults.add({ operation: 'delete', status: 503, retryAfter: at });
    const { client } = clientFor(sim);
    const result = await client.deleteSandbox(victim.id);
    expect(result.kind).toBe('retryable');
    const retryAfterMs = result.kind === 'retryable' ? result.retryAfterMs : undefined;
    expect(retryAfterMs).toBeGreaterThan(3_000_000);
    expect(retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });

  it('an HTML error body gives a readable reason, not a parse crash', async () => {
    sim.faults.add({ operation: 'delete', status: 500, html: true });
    const { client } = clientFor(sim, { retry: { maxRetries: 0 } });
    expect(await client.deleteSandbox(victim.id)).toEqual({
      kind: 'retryable',
      status: 500,
      reason: 'CSP delete: HTTP 500 (HTML error page): 500 Internal Server Error',
    });
  });

  it('403: permanent and not retried', async () => {
    sim.faults.add({ operation: 'delete', status: 403 });
    const { client } = clientFor(sim);
    expect(await client.deleteSandbox(victim.id)).toMatchObject({ kind: 'permanent', status: 403 });
    expect(sim.stats.deletesFor(victim.uuid)).toBe(1);
  });

  it('a wrong token is permanent (401)', async () => {
    const { client } = clientFor(sim, { token: 'nope' });
    expect(await client.deleteSandbox(victim.id)).toMatchObject({ kind: 'permanent', status: 401 });
  });

  it('a hung call times out, is retried, and the retry succeeds', async () => {
    sim.faults.add({ operation: 'delete', hang: true, count: 1 });
    const { client, retries } = clientFor(sim, { timeouts: { deleteMs: 150 } });
    expect(await client.deleteSandbox(victim.id)).toEqual({ kind: 'gone' });
    expect(retries[0]?.reason).toBe('timed out after 150 ms');
    expect(sim.stats.snapshot().operations.delete.byStatus).toEqual({ hang: 1, '204': 1 });
  });

  it('timeouts on every attempt end retryable', async () => {
    sim.faults.add({ operation: 'delete', hang: true });
    const { client } = clientFor(sim, {
      timeouts: { deleteMs: 100 },
      retry: { maxRetries: 1, initialDelayMs: 1 },
    });
    expect(await client.deleteSandbox(victim.id)).toEqual({
      kind: 'retryable',
      reason: 'CSP delete: timed out after 100 ms',
    });
    expect(sim.stats.deletesFor(victim.uuid)).toBe(2);
  });

  it('a refused connection is retryable', async () => {
    const closed = await startSimulator({ poolSize: 0 });
    const baseUrl = closed.cspBaseUrl;
    await closed.stop();
    const client = new HttpCspClient({ baseUrl, token: TOKEN, retry: { maxRetries: 0 } });
    expect(await client.deleteSandbox(victim.id)).toEqual({
      kind: 'retryable',
      reason: 'CSP delete: network error: ECONNREFUSED',
    });
  });

  it('an external id without a uuid is permanent, with no call made', async () => {
    const { client } = clientFor(sim);
    expect(await client.deleteSandbox('identity/accounts/')).toMatchObject({ kind: 'permanent' });
    expect(await client.deleteSandbox('  ')).toMatchObject({ kind: 'permanent' });
    expect(sim.stats.callsFor('delete')).toBe(0);
  });

  it('accepts a bare uuid as external id', async () => {
    const { client } = clientFor(sim);
    expect(await client.deleteSandbox(victim.uuid)).toEqual({ kind: 'gone' });
    expect(sim.store.get(victim.uuid)).toBeUndefined();
  });
});
