import request from 'supertest';
import { type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

/**
 * What lab scripts written for the original broker rely on (issue #15 part 3): release and read
 * with the provider account id they wrote into sandbox_id.txt, X-RateLimit-* headers, and an
 * OpenAPI security scheme that says what the tokens are.
 */
describe('lab-script compatibility (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let student = 0;
  const nextStudent = () => `compat-${++student}-${Date.now().toString(36)}`;
  const ORIGIN = 'https://dashboard.example.test';

  beforeAll(async () => {
    t = await startApiTestApp({ CORS_ALLOWED_ORIGINS: ORIGIN });
    await t.seed(6, 'lab-compat-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const allocate = (studentId: string) =>
    request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', studentId);
  const getSandbox = (ref: string, studentId: string) =>
    request(t.server)
      .get(`/v1/sandboxes/${ref}`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', studentId);
  const release = (ref: string, studentId: string) =>
    request(t.server)
      .post(`/v1/sandboxes/${ref}/mark-for-deletion`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', studentId);

  /** The three forms an old script may send: bare uuid, full path URL-encoded, upper case. */
  function refsOf(externalId: string): string[] {
    const uuid = externalId.replace(/^identity\/accounts\//, '');
    return [uuid, encodeURIComponent(externalId), uuid.toUpperCase()];
  }

  it('reads the sandbox by its account id with the same answer as by the broker id', async () => {
    const ann = nextStudent();
    const allocated = await allocate(ann).expect(201);
    const byId = await getSandbox(allocated.body.sandbox_id, ann).expect(200);
    for (const ref of refsOf(allocated.body.external_id)) {
      const res = await getSandbox(ref, ann);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(byId.body);
    }
  });

  it('applies the same owner checks: another student gets 403 NOT_SANDBOX_OWNER', async () => {
    const ann = nextStudent();
    const allocated = await allocate(ann).expect(201);
    for (const ref of refsOf(allocated.body.external_id)) {
      const read = await getSandbox(ref, nextStudent());
      expect(read.status).toBe(403);
      expect(read.body.code).toBe('NOT_SANDBOX_OWNER');
      const rel = await release(ref, nextStudent());
      expect(rel.status).toBe(403);
      expect(rel.body.code).toBe('NOT_SANDBOX_OWNER');
    }
    expect((await t.repository.get(allocated.body.sandbox_id))?.status).toBe('allocated');
  });

  it('releases by the account uuid (what the old deallocation script sends), idempotently', async () => {
    const ann = nextStudent();
    const allocated = await allocate(ann).expect(201);
    const uuid = allocated.body.external_id.replace(/^identity\/accounts\//, '');
    const first = await release(uuid, ann).expect(200);
    expect(first.body).toMatchObject({
      sandbox_id: allocated.body.sandbox_id,
      status: 'pending_deletion',
    });
    const again = await release(encodeURIComponent(allocated.body.external_id), ann).expect(200);
    expect(again.body).toEqual(first.body);
    expect((await t.repository.get(allocated.body.sandbox_id))?.status).toBe('pending_deletion');
  });

  it('answers an unknown account id with 404 SANDBOX_NOT_FOUND, and a malformed one with 400', async () => {
    const unknown = 'ffffffff-0000-4000-8000-000000000000';
    for (const ref of [unknown, encodeURIComponent(`identity/accounts/${unknown}`)]) {
      expect((await getSandbox(ref, nextStudent())).body.code).toBe('SANDBOX_NOT_FOUND');
      expect((await release(ref, nextStudent())).status).toBe(404);
    }
    const bad = await getSandbox(encodeURIComponent('identity/users/x'), nextStudent());
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_ERROR');
  });

  it('sends X-RateLimit-Limit / X-RateLimit-Remaining with the RateLimit-* headers, exposed to CORS', async () => {
    const res = await getSandbox('no-such-sandbox', nextStudent()).set('Origin', ORIGIN);
    expect(res.headers['x-ratelimit-limit']).toBe(res.headers['ratelimit-limit']);
    expect(res.headers['x-ratelimit-remaining']).toBe(res.headers['ratelimit-remaining']);
    expect(Number(res.headers['x-ratelimit-limit'])).toBeGreaterThan(0);
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase();
    expect(exposed).toContain('x-ratelimit-limit');
    expect(exposed).toContain('x-ratelimit-remaining');
  });

  it('describes the bearer tokens as opaque (not JWTs) in the OpenAPI security schemes', async () => {
    const res = await request(t.server).get('/v1/openapi.json').expect(200);
    const schemes = res.body.components.securitySchemes;
    for (const name of ['track', 'admin']) {
      expect(schemes[name]).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
      });
      expect(schemes[name].description).toMatch(/Not a JWT/);
    }
  });
});
