import request from 'supertest';
import {
  ADMIN_TOKEN,
  type ApiTestApp,
  startApiTestApp,
  TRACK_TOKEN,
  VIEWER_TOKEN,
} from './testing/api-test-app';

/** The console's cookie sign-in, CSRF and the viewer role over the real AppModule (dynalite). */
describe('console session (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let sandboxId: string;

  beforeAll(async () => {
    t = await startApiTestApp({ ADMIN_STATS_CACHE_SEC: '0', CONSOLE_SESSION_TTL_MINUTES: '30' });
    await t.seed(5, 'lab-c-');
    const { sandbox } = await t.repository.allocate({
      studentId: 'student-1',
      idempotencyKey: 'k1',
      namePrefix: 'lab-c-',
      trackName: 'track-c',
    });
    sandboxId = sandbox.sandboxId;
  });

  afterAll(async () => {
    await t?.close();
  });

  function expectProblem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status, code });
  }

  async function signIn(token: string) {
    const res = await request(t.server).post('/v1/admin/session').send({ token });
    expect(res.status).toBe(201);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const cookie = setCookie.find((c) => c.startsWith('broker_session='));
    expect(cookie).toBeDefined();
    return {
      body: res.body as {
        role: string;
        token_name: string;
        expires_at: string;
        csrf_token: string;
      },
      setCookie: cookie!,
      cookie: cookie!.split(';')[0]!,
    };
  }

  it('exchanges an admin token for an HttpOnly, SameSite=Strict cookie and a csrf token', async () => {
    const before = Date.now();
    const s = await signIn(ADMIN_TOKEN);
    expect(s.body).toMatchObject({ role: 'admin', token_name: 'ops' });
    expect(s.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const expires = Date.parse(s.body.expires_at);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 60_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 60_000 + 1000);
    expect(s.setCookie).toMatch(/HttpOnly/i);
    expect(s.setCookie).toMatch(/SameSite=Strict/i);
    expect(s.setCookie).toMatch(/Path=\//);
    expect(s.setCookie).toMatch(/Max-Age=1800/);
    // NODE_ENV=test: not Secure (plain-HTTP loopback); production sets it.
    expect(s.setCookie).not.toMatch(/Secure/i);
    const again = await request(t.server).get('/v1/admin/session').set('Cookie', s.cookie);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(s.body);
  });

  it('keeps no token and no raw session id in the table', async () => {
    const s = await signIn(ADMIN_TOKEN);
    const sessionId = s.cookie.split('=')[1]!;
    const dump = JSON.stringify(await t.scanTable());
    expect(dump).toContain('SESSION#');
    expect(dump).not.toContain(ADMIN_TOKEN);
    expect(dump).not.toContain(sessionId);
    expect(dump).not.toContain(s.body.csrf_token);
  });

  it('refuses wrong, track and missing tokens with problem+json', async () => {
    const wrong = await request(t.server).post('/v1/admin/session').send({ token: 'nope' });
    expectProblem(wrong, 401, 'UNAUTHORIZED');
    expect(wrong.body.detail).toBe('Invalid token');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const track = await request(t.server).post('/v1/admin/session').send({ token: TRACK_TOKEN });
    expectProblem(track, 401, 'UNAUTHORIZED');
    expectProblem(
      await request(t.server).post('/v1/admin/session').send({}),
      400,
      'VALIDATION_ERROR',
    );
    expectProblem(
      await request(t.server).post('/v1/admin/session').send({ token: 42 }),
      400,
      'VALIDATION_ERROR',
    );
    expectProblem(await request(t.server).get('/v1/admin/session'), 401, 'UNAUTHORIZED');
    expectProblem(
      await request(t.server).get('/v1/admin/stats').set('Cookie', 'broker_session=forged'),
      401,
      'UNAUTHORIZED',
    );
  });

  it('opens admin GET routes with the cookie and needs X-CSRF-Token for changes', async () => {
    const s = await signIn(ADMIN_TOKEN);
    const stats = await request(t.server).get('/v1/admin/stats').set('Cookie', s.cookie);
    expect(stats.status).toBe(200);
    const noCsrf = await request(t.server)
      .post(`/v1/admin/sandboxes/${sandboxId}/quarantine`)
      .set('Cookie', s.cookie)
      .send({ reason: 'x' });
    expectProblem(noCsrf, 403, 'CSRF_TOKEN_INVALID');
    const badCsrf = await request(t.server)
      .post(`/v1/admin/sandboxes/${sandboxId}/force-release`)
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', 'not-the-token');
    expectProblem(badCsrf, 403, 'CSRF_TOKEN_INVALID');
    expect((await t.repository.get(sandboxId))?.status).toBe('allocated');
    const ok = await request(t.server)
      .post(`/v1/admin/sandboxes/${sandboxId}/force-release`)
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.body.csrf_token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ sandbox_id: sandboxId, status: 'pending_deletion' });
  });

  it('signs out: the session is revoked server-side and the cookie cleared', async () => {
    const s = await signIn(ADMIN_TOKEN);
    expectProblem(
      await request(t.server).delete('/v1/admin/session').set('Cookie', s.cookie),
      403,
      'CSRF_TOKEN_INVALID',
    );
    const out = await request(t.server)
      .delete('/v1/admin/session')
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.body.csrf_token);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/broker_session=;.*Expires=Thu, 01 Jan 1970/);
    expectProblem(
      await request(t.server).get('/v1/admin/session').set('Cookie', s.cookie),
      401,
      'UNAUTHORIZED',
    );
    expectProblem(
      await request(t.server).get('/v1/admin/stats').set('Cookie', s.cookie),
      401,
      'UNAUTHORIZED',
    );
  });

  it('a viewer reads everything and changes nothing (bearer and cookie)', async () => {
    const viewer = (r: request.Test) => r.set('Authorization', `Bearer ${VIEWER_TOKEN}`);
    expect((await viewer(request(t.server).get('/v1/admin/stats'))).status).toBe(200);
    expect((await viewer(request(t.server).get('/v1/admin/sandboxes'))).status).toBe(200);
    expectProblem(
      await viewer(request(t.server).post(`/v1/admin/sandboxes/${sandboxId}/retry-deletion`)),
      403,
      'FORBIDDEN',
    );
    const s = await signIn(VIEWER_TOKEN);
    expect(s.body).toMatchObject({ role: 'viewer', token_name: 'instructor' });
    expect(
      (await request(t.server).get('/v1/admin/sandboxes').set('Cookie', s.cookie)).status,
    ).toBe(200);
    const before = await t.repository.get(sandboxId);
    expectProblem(
      await request(t.server)
        .post(`/v1/admin/sandboxes/${sandboxId}/quarantine`)
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.body.csrf_token)
        .send({ reason: 'viewer tries' }),
      403,
      'FORBIDDEN',
    );
    expect(await t.repository.get(sandboxId)).toEqual(before);
  });

  it('limits sign-in attempts per client IP with a 429 problem', async () => {
    let limited: request.Response | undefined;
    for (let i = 0; i < 30 && limited === undefined; i += 1) {
      const res = await request(t.server)
        .post('/v1/admin/session')
        .send({ token: `wrong-${i}` });
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expectProblem(limited!, 429, 'RATE_LIMIT_EXCEEDED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
