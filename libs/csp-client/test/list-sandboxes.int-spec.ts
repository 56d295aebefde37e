import { CspClientError } from '../src';
import {
  activeSandboxes,
  clientFor,
  startSimulator,
  withSimulator,
  type RunningSimulator,
} from './testing/harness';

describe('HttpCspClient.listSandboxes against the simulator', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ poolSize: 250 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => sim.reset());

  it('reads every page, keeps only active sandboxes and maps their fields', async () => {
    const { client } = clientFor(sim);
    const sandboxes = await client.listSandboxes();

    // 250 sandboxes + 3 noise accounts = 253 -> pages of 100, 100, 53
    expect(sim.stats.callsFor('list')).toBe(3);
    expect(sandboxes).toHaveLength(250);
    const expected = activeSandboxes(sim).map((a) => ({
      sandboxId: String(a.csp_id),
      name: a.name,
      externalId: a.id,
      createdAt: Math.floor(Date.parse(a.created_at) / 1000),
      sfdcAccountId: a.sfdc_account_id === '' ? null : a.sfdc_account_id,
    }));
    expect(sandboxes).toEqual(expected);
    expect(sandboxes.filter((s) => s.sfdcAccountId !== null)).toHaveLength(84);
    expect(sandboxes.map((s) => s.name)).not.toContain('lab-parent-enterprise');
    expect(sandboxes.some((s) => s.name.includes('retired'))).toBe(false);
  });

  it('uses the configured page size', async () => {
    const { client } = clientFor(sim, { pageSize: 1000 });
    expect(await client.listSandboxes()).toHaveLength(250);
    expect(sim.stats.callsFor('list')).toBe(1);
  });

  it('leaves out accounts being deleted', async () => {
    await withSimulator({ poolSize: 5, deleteDelayMs: 60_000 }, async (slow) => {
      const { client } = clientFor(slow);
      const victim = activeSandboxes(slow)[2]!;
      expect(await client.deleteSandbox(victim.id)).toEqual({ kind: 'gone' });
      const names = (await client.listSandboxes()).map((s) => s.name);
      expect(names).toHaveLength(4);
      expect(names).not.toContain(victim.name);
    });
  });

  it.each([
    // bare: pages honoured but no page metadata -> stop on the short page
    ['bare', 250, 3],
    // 197 + 3 noise = 200 = two full pages: the third (empty) page ends it
    ['bare', 197, 3],
    // unpaged: everything at once, more than asked -> no second request
    ['unpaged', 250, 1],
  ] as const)(
    'handles %s listing of %d sandboxes in %d calls',
    async (listPaging, poolSize, calls) => {
      await withSimulator({ poolSize, listPaging }, async (s) => {
        const { client } = clientFor(s);
        const sandboxes = await client.listSandboxes();
        expect(sandboxes).toHaveLength(poolSize);
        expect(new Set(sandboxes.map((x) => x.sandboxId)).size).toBe(poolSize);
        expect(s.stats.callsFor('list')).toBe(calls);
      });
    },
  );

  it('retries a transient failure of one page', async () => {
    sim.faults.add({ operation: 'list', status: 503, count: 1 });
    const { client, retries } = clientFor(sim);
    expect(await client.listSandboxes()).toHaveLength(250);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ upstream: 'csp', operation: 'list', attempt: 1 });
    expect(sim.stats.snapshot().operations.list.byStatus).toEqual({ '503': 1, '200': 3 });
  });

  it('throws a permanent CspClientError on a bad token, without retrying', async () => {
    const { client } = clientFor(sim, { token: 'wrong' });
    const error = await client.listSandboxes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CspClientError);
    expect((error as CspClientError).failure).toMatchObject({ kind: 'permanent', status: 401 });
    expect((error as CspClientError).message).toMatch(
      /CSP list: HTTP 401: missing or invalid API token/,
    );
    expect(sim.stats.callsFor('list')).toBe(1);
  });

  it('throws a retryable error with a readable reason for an HTML error page', async () => {
    sim.faults.add({ operation: 'list', status: 502, html: true });
    const { client } = clientFor(sim);
    const error = (await client.listSandboxes().catch((e: unknown) => e)) as CspClientError;
    expect(error.kind).toBe('retryable');
    expect(error.message).toBe('CSP list: HTTP 502 (HTML error page): 502 Bad Gateway');
    expect(sim.stats.callsFor('list')).toBe(3); // first attempt + 2 retries
  });
});
