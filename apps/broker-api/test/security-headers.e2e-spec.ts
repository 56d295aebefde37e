import request from 'supertest';
import { type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

const ORIGIN = 'https://lab.example.com';

function expectSecurityHeaders(res: request.Response, { hsts }: { hsts: boolean }): void {
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['permissions-policy']).toBe(
    'geolocation=(), microphone=(), camera=(), payment=(), usb=()',
  );
  expect(res.headers['content-security-policy']).toEqual(expect.any(String));
  if (hsts) {
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  } else {
    expect(res.headers['strict-transport-security']).toBeUndefined();
  }
}

describe('security headers and CORS in production (e2e)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({
      NODE_ENV: 'production',
      CSP_API_TOKEN: 'e2e-csp-token-0000001',
      CORS_ALLOWED_ORIGINS: `${ORIGIN},https://ops.example.com`,
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['200', () => request(t.server).get('/healthz'), 200],
    ['401', () => request(t.server).post('/v1/allocate'), 401],
    ['404', () => request(t.server).get('/v1/nope'), 404],
    [
      '413',
      () =>
        request(t.server)
          .post('/v1/allocate')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ pad: 'x'.repeat(100_000) })),
      413,
    ],
  ])('sets every header, with HSTS, on a %s', async (_, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expectSecurityHeaders(res, { hsts: true });
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('sets them on a 500 too', async () => {
    const id = 'sec-500';
    await t.stopEngine();
    const res = await request(t.server)
      .get(`/v1/sandboxes/${id}`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', 'someone');
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectSecurityHeaders(res, { hsts: true });
  });

  it('answers a pre-flight from an allowed origin with the allowlists', async () => {
    const res = await request(t.server)
      .options('/v1/allocate')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,x-instruqt-sandbox-id,idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(res.headers['access-control-allow-headers']).toBe(
      'Authorization, Content-Type, X-Instruqt-Sandbox-ID, X-Instruqt-Track-ID, ' +
        'X-Sandbox-Name-Prefix, Idempotency-Key, X-Track-ID, X-Request-ID',
    );
    expect(res.headers['access-control-max-age']).toBe('3600');
    expectSecurityHeaders(res, { hsts: true });
  });

  it('exposes the request id and rate-limit headers to allowed origins only', async () => {
    const allowed = await request(t.server).get('/healthz').set('Origin', ORIGIN);
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(allowed.headers['access-control-expose-headers']).toBe(
      'X-Request-ID, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, ' +
        'X-RateLimit-Limit, X-RateLimit-Remaining',
    );
    const other = await request(t.server).get('/healthz').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security headers outside production (e2e)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({ CORS_ALLOWED_ORIGINS: '*' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('relaxes the CSP for Swagger UI only, and sends no HSTS', async () => {
    const docs = await request(t.server).get('/v1/docs/').redirects(1);
    expect(docs.status).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expectSecurityHeaders(docs, { hsts: false });
    const api = await request(t.server).get('/v1/openapi.json').expect(200);
    expect(api.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('accepts the wildcard origin in development', async () => {
    const res = await request(t.server).get('/healthz').set('Origin', 'https://any.example');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});
