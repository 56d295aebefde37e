import { clientFor, startSimulator, uuid, type RunningSimulator } from './testing/harness';

describe('HttpCspClient.cleanupUniversalServices (NIOSXaaS) against the simulator', () => {
  let sim: RunningSimulator;
  /** Has an `Instrqt-SaaS` service and another one (every 10th seeded sandbox). */
  let both: { id: string; uuid: string };
  /** Has no services. */
  let bare: { id: string; uuid: string };

  beforeAll(async () => {
    sim = await startSimulator({ poolSize: 20 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.reset();
    const dump = sim.store.dump();
    const withTwo = dump.find((a) => a.services.length === 2)!;
    const none = dump.find((a) => a.account_type === 'sandbox' && a.services.length === 0)!;
    both = { id: withTwo.id, uuid: uuid(withTwo.id) };
    bare = { id: none.id, uuid: uuid(none.id) };
  });

  const names = (u: string): string[] => (sim.store.services(u) ?? []).map((s) => s.name).sort();

  it('deletes only the services with the configured name', async () => {
    const { client } = clientFor(sim);
    const result = await client.cleanupUniversalServices(both.id);
    expect(result).toMatchObject({ kind: 'done', outcome: 'cleaned' });
    if (result.kind !== 'done') throw new Error('unreachable');
    expect(result.found.map((s) => s.name).sort()).toEqual([
      'Instrqt-SaaS',
      'other-universal-service',
    ]);
    expect(result.matched.map((s) => s.name)).toEqual(['Instrqt-SaaS']);
    expect(result.deleted).toEqual(result.matched);
    expect(result.deleted[0]!.id).toMatch(/^infra\/universal_service\//);
    expect(names(both.uuid)).toEqual(['other-universal-service']);
    const ops = sim.stats.snapshot().operations;
    expect([
      ops.sign_in.total,
      ops.account_switch.total,
      ops.services_list.total,
      ops.service_delete.total,
    ]).toEqual([1, 1, 1, 1]);
  });

  it('an empty service name deletes every service', async () => {
    const { client } = clientFor(sim, {
      niosxaas: { ...clientConfigNios(sim), serviceName: '' },
    });
    const result = await client.cleanupUniversalServices(both.id);
    expect(result).toMatchObject({ kind: 'done', outcome: 'cleaned' });
    expect(names(both.uuid)).toEqual([]);
  });

  it('shadow mode reports what it would delete and deletes nothing', async () => {
    const { client } = clientFor(sim, { niosxaas: { ...clientConfigNios(sim), shadowMode: true } });
    const result = await client.cleanupUniversalServices(both.id);
    expect(result).toMatchObject({ kind: 'done', outcome: 'shadow', deleted: [] });
    if (result.kind !== 'done') throw new Error('unreachable');
    expect(result.matched.map((s) => s.name)).toEqual(['Instrqt-SaaS']);
    expect(names(both.uuid)).toEqual(['Instrqt-SaaS', 'other-universal-service']);
    expect(sim.stats.callsFor('service_delete')).toBe(0);
  });

  it('an account without matching services is nothing to delete', async () => {
    const { client } = clientFor(sim);
    expect(await client.cleanupUniversalServices(bare.id)).toEqual({
      kind: 'done',
      outcome: 'nothing-to-delete',
      found: [],
      matched: [],
      deleted: [],
    });
  });

  it('finds a service added at run time through the simulator API', async () => {
    const service = sim.store.addService(bare.uuid, 'Instrqt-SaaS')!;
    const { client } = clientFor(sim);
    const result = await client.cleanupUniversalServices(bare.id);
    expect(result).toMatchObject({ kind: 'done', outcome: 'cleaned', deleted: [service] });
  });

  it('disabled: does nothing', async () => {
    const { client } = clientFor(sim, { niosxaas: { ...clientConfigNios(sim), enabled: false } });
    expect(await client.cleanupUniversalServices(both.id)).toMatchObject({
      kind: 'done',
      outcome: 'disabled',
    });
    expect(sim.stats.callsFor('sign_in')).toBe(0);
  });

  it('missing credentials are permanent, with no call made', async () => {
    const { client } = clientFor(sim, { niosxaas: { ...clientConfigNios(sim), password: '' } });
    expect(await client.cleanupUniversalServices(both.id)).toEqual({
      kind: 'permanent',
      reason: 'Missing NIOSXaaS credentials',
    });
    expect(sim.stats.callsFor('sign_in')).toBe(0);
  });

  it('a wrong password is permanent', async () => {
    const { client } = clientFor(sim, { niosxaas: { ...clientConfigNios(sim), password: 'nope' } });
    expect(await client.cleanupUniversalServices(both.id)).toMatchObject({
      kind: 'permanent',
      status: 401,
      reason: expect.stringMatching(/^NIOSXaaS sign-in: HTTP 401/),
    });
  });

  it('an unknown account fails at the account switch (permanent, 404)', async () => {
    const { client } = clientFor(sim);
    expect(await client.cleanupUniversalServices('identity/accounts/does-not-exist')).toMatchObject(
      {
        kind: 'permanent',
        status: 404,
        reason: expect.stringMatching(/^NIOSXaaS account switch: HTTP 404/),
      },
    );
  });

  it('sign-in is not retried (POST); a 503 is retryable', async () => {
    sim.faults.add({ operation: 'sign_in', status: 503, count: 1 });
    const { client } = clientFor(sim);
    expect(await client.cleanupUniversalServices(both.id)).toMatchObject({
      kind: 'retryable',
      status: 503,
    });
    expect(sim.stats.callsFor('sign_in')).toBe(1);
    // The next run completes the job.
    expect(await client.cleanupUniversalServices(both.id)).toMatchObject({
      kind: 'done',
      outcome: 'cleaned',
    });
  });

  it('service listing and deletion are retried (idempotent)', async () => {
    sim.faults.add({ operation: 'services_list', status: 502, html: true, count: 1 });
    sim.faults.add({ operation: 'service_delete', status: 500, count: 1 });
    const { client, retries } = clientFor(sim);
    expect(await client.cleanupUniversalServices(both.id)).toMatchObject({
      kind: 'done',
      outcome: 'cleaned',
    });
    expect(retries.map((r) => [r.upstream, r.operation])).toEqual([
      ['niosxaas', 'services_list'],
      ['niosxaas', 'service_delete'],
    ]);
    expect(retries[0]!.reason).toBe('HTTP 502 (HTML error page): 502 Bad Gateway');
    expect(names(both.uuid)).toEqual(['other-universal-service']);
  });

  it('a service delete that keeps failing makes the cleanup retryable', async () => {
    sim.faults.add({ operation: 'service_delete', status: 500 });
    const { client } = clientFor(sim);
    const result = await client.cleanupUniversalServices(both.id);
    expect(result).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(
        /^deleted 0 of 1; NIOSXaaS delete infra\/universal_service\/.+: HTTP 500/,
      ),
    });
    expect(sim.stats.callsFor('service_delete')).toBe(3);
  });

  it('a hung listing times out as retryable', async () => {
    sim.faults.add({ operation: 'services_list', hang: true });
    const { client } = clientFor(sim, {
      retry: { maxRetries: 0 },
      niosxaas: { ...clientConfigNios(sim), timeoutMs: 100 },
    });
    expect(await client.cleanupUniversalServices(both.id)).toEqual({
      kind: 'retryable',
      reason: 'NIOSXaaS list services: timed out after 100 ms',
    });
  });
});

function clientConfigNios(sim: RunningSimulator) {
  return {
    enabled: true,
    baseUrl: sim.url,
    email: sim.config.niosEmail,
    password: sim.config.niosPassword,
    serviceName: 'Instrqt-SaaS',
    shadowMode: false,
    timeoutMs: 2_000,
  };
}
