import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BlackHole, closedPortEndpoint, startBlackHole } from '@broker/dynamo-repo/testing';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

const DEADLINES = {
  DDB_REQUEST_TIMEOUT_MS: '200',
  DDB_MAX_ATTEMPTS: '2',
  DDB_CALL_BUDGET_MS: '700',
};
const STUDENT = { Authorization: `Bearer ${TRACK_TOKEN}`, 'X-Instruqt-Sandbox-ID': 'stu-1' };

/** Issue #12 §4: a stalled or unreachable store is a prompt 503, never a hang or a 500. */
describe.each([
  ['a store that accepts and never answers', 'black-hole'],
  ['a closed port', 'closed'],
])('API over %s (e2e)', (_label, kind) => {
  let hole: BlackHole | undefined;
  let t: ApiTestApp;

  beforeAll(async () => {
    hole = kind === 'black-hole' ? await startBlackHole() : undefined;
    const endpoint = hole?.endpoint ?? (await closedPortEndpoint());
    t = await startApiTestApp({ ...DEADLINES, DDB_ENDPOINT_URL: endpoint });
  });
  afterAll(async () => {
    await t?.close();
    await hole?.close();
  });

  const calls: ReadonlyArray<[string, () => request.Test]> = [
    ['POST /v1/allocate', () => request(t.server).post('/v1/allocate').set(STUDENT)],
    ['GET /v1/sandboxes/:id', () => request(t.server).get('/v1/sandboxes/2000001').set(STUDENT)],
    [
      'POST mark-for-deletion',
      () => request(t.server).post('/v1/sandboxes/2000001/mark-for-deletion').set(STUDENT),
    ],
    [
      'GET /v1/admin/sandboxes',
      () =>
        request(t.server)
          .get('/v1/admin/sandboxes?status=available')
          .set('Authorization', `Bearer ${ADMIN_TOKEN}`),
    ],
  ];

  it.each(calls)('%s answers 503 STORE_UNAVAILABLE with Retry-After', async (_name, call) => {
    const res = await call().timeout(6_000);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|socket/i);
  });

  it('is not ready, and keeps no socket open at the store', async () => {
    const ready = await request(t.server).get('/readyz').timeout(6_000);
    expect(ready.status).toBe(503);
    // Each timed-out attempt's socket is destroyed; within seconds none is left open.
    for (let i = 0; i < 100 && (hole?.openConnections() ?? 0) > 0; i += 1) await sleep(100);
    expect(hole?.openConnections() ?? 0).toBe(0);
  });
});
