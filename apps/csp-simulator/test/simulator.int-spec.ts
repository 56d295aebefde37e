import { startSimulator, type RunningSimulator } from '../src/simulator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON bodies in assertions
type Json = any;

const TOKEN = { authorization: 'Token dev-csp-token' };

async function call(
  sim: RunningSimulator,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string; json: Json }> {
  const res = await fetch(`${sim.url}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('csp-simulator over HTTP', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ poolSize: 250 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => sim.reset());

  describe('CSP accounts', () => {
    it('rejects a missing or wrong token with 401 JSON', async () => {
      const none = await call(sim, '/v2/current_user/accounts');
      expect(none.status).toBe(401);
      expect(none.json.error.code).toBe('UNAUTHORIZED');
      const bearer = await call(sim, '/v2/current_user/accounts', {
        headers: { authorization: 'Bearer dev-csp-token' },
      });
      expect(bearer.status).toBe(401);
    });

    it('pages with _offset/_limit and reports the total', async () => {
      const first = await call(sim, '/v2/current_user/accounts', { headers: TOKEN });
      expect(first.status).toBe(200);
      expect(first.json.results).toHaveLength(100);
      expect(first.json.page).toEqual({ offset: 0, limit: 100, total: 253 });

      const last = await call(sim, '/v2/current_user/accounts?_offset=200&_limit=100', {
        headers: TOKEN,
      });
      expect(last.json.results).toHaveLength(53);

      const big = await call(sim, '/v2/current_user/accounts?_limit=5000', { headers: TOKEN });
      expect(big.json.page.limit).toBe(1000);
      expect(big.json.results).toHaveLength(253);

      const bad = await call(sim, '/v2/current_user/accounts?_limit=abc', { headers: TOKEN });
      expect(bad.status).toBe(400);
    });

    it('deletes for real: 204, then 404, and the account is no longer listed', async () => {
      const victim = sim.store.list()[10]!;
      const uuid = victim.id.split('/').pop()!;
      const del = await call(sim, `/v2/sandbox/accounts/${uuid}`, {
        method: 'DELETE',
        headers: TOKEN,
      });
      expect(del.status).toBe(204);
      const again = await call(sim, `/v2/sandbox/accounts/${uuid}`, {
        method: 'DELETE',
        headers: TOKEN,
      });
      expect(again.status).toBe(404);
      const all = await call(sim, '/v2/current_user/accounts?_limit=1000', { headers: TOKEN });
      expect(all.json.results.map((a: { id: string }) => a.id)).not.toContain(victim.id);
      const stats = await call(sim, '/_sim/stats');
      expect(stats.json.deletesByAccount[uuid]).toBe(2);
      expect(stats.json.operations.delete.byStatus).toEqual({ '204': 1, '404': 1 });
    });

    it('adds accounts through /_sim/accounts, also re-listing a deleted one', async () => {
      const victim = sim.store.list()[0]!;
      sim.store.delete(victim.id.split('/').pop()!);
      const readd = await call(
        sim,
        '/_sim/accounts',
        post({ accounts: [{ id: victim.id, csp_id: victim.csp_id, name: victim.name }] }),
      );
      expect(readd.status).toBe(201);
      expect(readd.json.results[0]).toMatchObject({ id: victim.id, state: 'active' });
      const gen = await call(sim, '/_sim/accounts', post({ count: 3, prefix: 'extra-' }));
      expect(gen.json.results.map((a: { name: string }) => a.name)).toEqual([
        'extra-0251',
        'extra-0252',
        'extra-0253',
      ]);
      const dump = await call(sim, '/_sim/accounts');
      expect(dump.json.results).toHaveLength(256);
      const bad = await call(sim, '/_sim/accounts', post({ count: 0 }));
      expect(bad.status).toBe(400);
    });
  });

  describe('asynchronous deletes', () => {
    it('lists the account as deleting until the delay has passed', async () => {
      const slow = await startSimulator({ poolSize: 3, deleteDelayMs: 150, withNoise: false });
      try {
        const uuid = slow.store.list()[0]!.id.split('/').pop()!;
        const del = await call(slow, `/v2/sandbox/accounts/${uuid}`, {
          method: 'DELETE',
          headers: TOKEN,
        });
        expect(del.status).toBe(200);
        expect(del.json.state).toBe('deleting');
        const listed = await call(slow, '/v2/current_user/accounts', { headers: TOKEN });
        expect(listed.json.results[0].state).toBe('deleting');
        await new Promise((r) => setTimeout(r, 200));
        const after = await call(slow, '/v2/current_user/accounts', { headers: TOKEN });
        expect(after.json.results).toHaveLength(2);
      } finally {
        await slow.stop();
      }
    });
  });

  describe('list paging modes', () => {
    it.each([
      ['bare', 100, false],
      ['unpaged', 12 + 3, false],
    ] as const)('%s', async (listPaging, expected, hasPage) => {
      const s = await startSimulator({ poolSize: listPaging === 'bare' ? 150 : 12, listPaging });
      try {
        const res = await call(s, '/v2/current_user/accounts?_limit=100', { headers: TOKEN });
        expect(res.json.results).toHaveLength(expected);
        expect('page' in res.json).toBe(hasPage);
      } finally {
        await s.stop();
      }
    });
  });

  describe('NIOSXaaS', () => {
    it('signs in, switches account, lists and deletes universal services', async () => {
      const account = sim.store.dump().find((a) => a.services.length > 0)!;
      const bad = await call(
        sim,
        '/v2/session/users/sign_in',
        post({ email: sim.config.niosEmail, password: 'wrong' }),
      );
      expect(bad.status).toBe(401);
      const signIn = await call(
        sim,
        '/v2/session/users/sign_in',
        post({ email: sim.config.niosEmail, password: sim.config.niosPassword }),
      );
      expect(signIn.status).toBe(200);
      const userJwt = signIn.json.jwt as string;

      const noAuth = await call(sim, '/v2/session/account_switch', post({ id: account.id }));
      expect(noAuth.status).toBe(401);
      const sw = await call(
        sim,
        '/v2/session/account_switch',
        post({ id: account.id }, { authorization: `Bearer ${userJwt}` }),
      );
      expect(sw.status).toBe(200);
      const auth = { authorization: `Bearer ${sw.json.jwt as string}` };

      // A user token is not an account token.
      const wrongToken = await call(sim, '/api/universalinfra/v1/universalservices', {
        headers: { authorization: `Bearer ${userJwt}` },
      });
      expect(wrongToken.status).toBe(401);

      const list = await call(sim, '/api/universalinfra/v1/universalservices', { headers: auth });
      expect(list.json.results).toEqual(account.services);
      const serviceUuid = account.services[0]!.id.split('/').pop()!;
      const del = await call(sim, `/api/universalinfra/v1/universalservices/${serviceUuid}`, {
        method: 'DELETE',
        headers: auth,
      });
      expect(del.status).toBe(200);
      const again = await call(sim, `/api/universalinfra/v1/universalservices/${serviceUuid}`, {
        method: 'DELETE',
        headers: auth,
      });
      expect(again.status).toBe(404);

      const added = await call(
        sim,
        `/_sim/accounts/${account.id.split('/').pop()!}/services`,
        post({ name: 'Instrqt-SaaS' }),
      );
      expect(added.status).toBe(201);
      const list2 = await call(sim, '/api/universalinfra/v1/universalservices', { headers: auth });
      expect(list2.json.results).toContainEqual(added.json);

      const missing = await call(
        sim,
        '/v2/session/account_switch',
        post({ id: 'identity/accounts/nope' }, { authorization: `Bearer ${userJwt}` }),
      );
      expect(missing.status).toBe(404);
    });
  });

  describe('fault injection', () => {
    it('injects a counted status with Retry-After, then behaves normally', async () => {
      const added = await call(
        sim,
        '/_sim/faults',
        post({ operation: 'list', status: 429, retryAfter: 2, count: 2 }),
      );
      expect(added.status).toBe(201);
      expect(added.json.id).toMatch(/^f\d+$/);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await call(sim, '/v2/current_user/accounts', { headers: TOKEN });
        statuses.push(res.status);
        if (res.status === 429) expect(res.headers.get('retry-after')).toBe('2');
      }
      expect(statuses).toEqual([429, 429, 200]);
      const stats = await call(sim, '/_sim/stats');
      expect(stats.json.operations.list.byStatus).toEqual({ '429': 2, '200': 1 });
      expect((await call(sim, '/_sim/faults')).json.results).toEqual([]);
    });

    it('serves an HTML error page when asked', async () => {
      await call(sim, '/_sim/faults', post({ operation: 'delete', status: 500, html: true }));
      const res = await call(sim, '/v2/sandbox/accounts/whatever', {
        method: 'DELETE',
        headers: TOKEN,
      });
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toMatch(/<title>500 Internal Server Error<\/title>/);
    });

    it('applies a probability fault to roughly that share of calls', async () => {
      await call(sim, '/_sim/faults', post({ operation: 'list', status: 503, probability: 0.5 }));
      let failed = 0;
      for (let i = 0; i < 200; i++) {
        const res = await call(sim, '/v2/current_user/accounts?_limit=1', { headers: TOKEN });
        if (res.status === 503) failed++;
      }
      // Binomial(200, 0.5): outside 50..150 has probability < 1e-12.
      expect(failed).toBeGreaterThan(50);
      expect(failed).toBeLessThan(150);
    });

    it('hangs until the client gives up, and counts the call', async () => {
      await call(sim, '/_sim/faults', post({ operation: 'list', hang: true, count: 1 }));
      await expect(
        fetch(`${sim.url}/v2/current_user/accounts`, {
          headers: TOKEN,
          signal: AbortSignal.timeout(100),
        }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      const stats = await call(sim, '/_sim/stats');
      expect(stats.json.operations.list.byStatus).toEqual({ hang: 1 });
    });

    it('targets one account and adds latency without failing', async () => {
      const [a, b] = sim.store.list();
      const uuidA = a!.id.split('/').pop()!;
      const uuidB = b!.id.split('/').pop()!;
      await call(sim, '/_sim/faults', post({ operation: 'delete', status: 502, accountId: a!.id }));
      await call(sim, '/_sim/faults', post({ operation: 'delete', latencyMs: 20 }));
      const delA = await call(sim, `/v2/sandbox/accounts/${uuidA}`, {
        method: 'DELETE',
        headers: TOKEN,
      });
      const delB = await call(sim, `/v2/sandbox/accounts/${uuidB}`, {
        method: 'DELETE',
        headers: TOKEN,
      });
      expect([delA.status, delB.status]).toEqual([502, 204]);
      expect(sim.store.get(uuidA)).toBeDefined();
      expect(sim.store.get(uuidB)).toBeUndefined();
    });

    it('rejects invalid faults with a readable 400 and clears faults', async () => {
      const bad = await call(sim, '/_sim/faults', post({ operation: 'list', status: 'x' }));
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toMatch(/fault.status/);
      await call(sim, '/_sim/faults', post([{ status: 500 }, { status: 502 }]));
      expect((await call(sim, '/_sim/faults')).json.results).toHaveLength(2);
      expect((await call(sim, '/_sim/faults', { method: 'DELETE' })).status).toBe(204);
      expect((await call(sim, '/_sim/faults')).json.results).toHaveLength(0);
    });

    it('loads faults from the configuration', async () => {
      const s = await startSimulator({
        poolSize: 1,
        faults: [{ operation: 'sign_in', status: 503, count: 1 }],
      });
      try {
        const first = await call(s, '/v2/session/users/sign_in', post({}));
        const second = await call(s, '/v2/session/users/sign_in', post({}));
        expect([first.status, second.status]).toEqual([503, 401]);
      } finally {
        await s.stop();
      }
    });
  });

  describe('stats', () => {
    it('records the peak calls per second per operation', async () => {
      await Promise.all(
        Array.from({ length: 8 }, () =>
          call(sim, '/v2/current_user/accounts?_limit=1', { headers: TOKEN }),
        ),
      );
      const stats = await call(sim, '/_sim/stats');
      // 8 calls issued together; at least several land in one 1-second window.
      expect(stats.json.operations.list.total).toBe(8);
      expect(stats.json.operations.list.peakPerSecond).toBeGreaterThanOrEqual(2);
      expect(stats.json.operations.delete.peakPerSecond).toBe(0);
    });

    it('resets pool, faults and stats', async () => {
      await call(sim, '/_sim/faults', post({ status: 500 }));
      await call(sim, '/_sim/accounts', post({ count: 5 }));
      const reset = await call(sim, '/_sim/reset', { method: 'POST' });
      expect(reset.json).toEqual({ status: 'reset', accounts: 253 });
      const list = await call(sim, '/v2/current_user/accounts', { headers: TOKEN });
      expect(list.status).toBe(200);
    });
  });
});
