import request from 'supertest';
import {
  type ApiTestApp,
  OTHER_TRACK_TOKEN,
  startApiTestApp,
  TRACK_TOKEN,
} from './testing/api-test-app';

// A bucket of 3 refilled at one token per 100 s: the 4th request is refused, however slow the
// machine (no timing in the test).
const LIMITS = { RATE_LIMIT_PER_SEC: '0.01', RATE_LIMIT_BURST: '3' };

function expectRateLimited(res: request.Response): void {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text);
  expect(body).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', retry_after: 100 });
  expect(body.request_id).toBe(res.headers['x-request-id']);
  expect(res.headers['retry-after']).toBe('100');
  expect(res.headers['ratelimit-limit']).toBe('3');
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(res.headers['ratelimit-reset']).toBe('100');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
}

describe('rate limiting behind a trusted proxy (e2e)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({ ...LIMITS, TRUST_PROXY: '127.0.0.1,::1' });
  });

  afterAll(async () => {
    await t?.close();
  });

  const getAs = (token: string, student: string) =>
    request(t.server)
      .get('/v1/sandboxes/4711')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Instruqt-Sandbox-ID', student);

  it('counts per token name and student, with RateLimit headers on normal answers', async () => {
    const first = await getAs(TRACK_TOKEN, 'student-a').expect(404);
    expect(first.headers['ratelimit-limit']).toBe('3');
    expect(first.headers['ratelimit-remaining']).toBe('2');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    await getAs(TRACK_TOKEN, 'student-a').expect(404);
    await getAs(TRACK_TOKEN, 'student-a').expect(404);
    expectRateLimited(await getAs(TRACK_TOKEN, 'student-a'));
    // Across routes too: one bucket per caller, not per route.
    expectRateLimited(
      await request(t.server)
        .post('/v1/allocate')
        .set('Authorization', `Bearer ${TRACK_TOKEN}`)
        .set('X-Instruqt-Sandbox-ID', 'student-a'),
    );
    // The legacy header names the same student.
    expectRateLimited(
      await request(t.server)
        .get('/v1/sandboxes/4711')
        .set('Authorization', `Bearer ${TRACK_TOKEN}`)
        .set('X-Track-ID', 'student-a'),
    );
    // Another student of the same lab, and the same student id under another token, are not.
    await getAs(TRACK_TOKEN, 'student-b').expect(404);
    await getAs(OTHER_TRACK_TOKEN, 'student-a').expect(404);
  });

  it('limits requests without a valid token by client IP, read from X-Forwarded-For', async () => {
    const fromClient = (ip: string) =>
      request(t.server)
        .get('/v1/sandboxes/4711')
        .set('Authorization', 'Bearer not-a-valid-token-000')
        .set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i += 1) await fromClient('203.0.113.7').expect(401);
    // Refused before the token is even checked: guessing tokens is limited too.
    expectRateLimited(await fromClient('203.0.113.7'));
    // Rotating the token does not help; another client is unaffected.
    expectRateLimited(
      await request(t.server)
        .get('/v1/sandboxes/4711')
        .set('Authorization', 'Bearer another-guess-0000')
        .set('X-Forwarded-For', '203.0.113.7'),
    );
    await fromClient('203.0.113.8').expect(401);
  });

  it('never limits /healthz, /readyz and /metrics', async () => {
    for (let i = 0; i < 8; i += 1) {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const res = await request(t.server).get(path).set('X-Forwarded-For', '203.0.113.7');
        expect(res.status).toBe(200);
        expect(res.headers['ratelimit-limit']).toBeUndefined();
      }
    }
  });
});

describe('rate limiting without a trusted proxy (e2e)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({ ...LIMITS, TRUST_PROXY: 'false' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('ignores X-Forwarded-For: a spoofed header does not buy a fresh bucket', async () => {
    const spoofed = (ip: string) =>
      request(t.server).post('/v1/allocate').set('X-Forwarded-For', ip);
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      await spoofed(ip).expect(401);
    }
    expectRateLimited(await spoofed('198.51.100.4'));
  });
});
