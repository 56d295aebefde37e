import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

const METRICS_TOKEN = 'e2e-metrics-token-0001';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics (e2e, dynalite)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    // Cache 0: every scrape starts a recount in the background (and still never waits for it).
    t = await startApiTestApp({ METRICS_POOL_CACHE_SEC: '0' });
    await t.seed(6, 'lab-m-');
    await t.seed(3, 'race-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const scrape = async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    return res.text;
  };
  const allocate = (student: string, prefix = 'lab-m-') =>
    request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', student)
      .set('X-Sandbox-Name-Prefix', prefix);
  const release = (id: string, student: string) =>
    request(t.server)
      .post(`/v1/sandboxes/${id}/mark-for-deletion`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', student);

  it('serves the Prometheus text format with process metrics, zeroed outcomes, no rate limit', async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.headers['ratelimit-limit']).toBeUndefined();
    expect(sample(res.text, 'process_cpu_user_seconds_total')).toEqual(expect.any(Number));
    for (const outcome of ['success', 'idempotent', 'no_sandboxes', 'in_progress', 'error']) {
      expect(sample(res.text, `broker_allocate_total{outcome="${outcome}"}`)).toBe(0);
    }
    for (const outcome of ['success', 'idempotent', 'not_found', 'not_owner', 'error']) {
      expect(sample(res.text, `broker_deletion_marked_total{outcome="${outcome}"}`)).toBe(0);
    }
  });

  it('counts allocation and release outcomes and observes their latency', async () => {
    const first = await allocate('metrics-student-1').expect(201);
    await allocate('metrics-student-1').expect(200);
    await allocate('metrics-student-2', 'no-such-prefix-').expect(409);
    const id = first.body.sandbox_id as string;
    await release(id, 'metrics-student-2').expect(403);
    await release(id, 'metrics-student-1').expect(200);
    await release(id, 'metrics-student-1').expect(200);
    await release('999999999', 'metrics-student-1').expect(404);

    const text = await scrape();
    expect(sample(text, 'broker_allocate_total{outcome="success"}')).toBe(1);
    expect(sample(text, 'broker_allocate_total{outcome="idempotent"}')).toBe(1);
    expect(sample(text, 'broker_allocate_total{outcome="no_sandboxes"}')).toBe(1);
    expect(sample(text, 'broker_allocate_idempotent_hits_total')).toBe(1);
    expect(sample(text, 'broker_allocation_latency_seconds_count{outcome="success"}')).toBe(1);
    expect(
      sample(text, 'broker_allocation_latency_seconds_bucket{le="+Inf",outcome="success"}'),
    ).toBe(1);
    expect(sample(text, 'broker_deletion_marked_total{outcome="success"}')).toBe(1);
    expect(sample(text, 'broker_deletion_marked_total{outcome="idempotent"}')).toBe(1);
    expect(sample(text, 'broker_deletion_marked_total{outcome="not_owner"}')).toBe(1);
    expect(sample(text, 'broker_deletion_marked_total{outcome="not_found"}')).toBe(1);
  });

  it('labels request latency by route template, never by raw URL', async () => {
    await request(t.server)
      .get('/v1/sandboxes/123456')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', 'someone')
      .expect(404);
    await request(t.server).get('/v1/no-such-route/abc-123').expect(404);
    await request(t.server).get('/healthz').expect(200);
    const text = await scrape();
    const series = (labels: string) =>
      sample(text, `broker_request_latency_seconds_count{${labels}}`);
    expect(series('method="POST",endpoint="/v1/allocate",status="201"')).toBe(1);
    expect(series('method="POST",endpoint="/v1/allocate",status="200"')).toBe(1);
    expect(series('method="GET",endpoint="/v1/sandboxes/:id",status="404"')).toBe(1);
    expect(series('method="GET",endpoint="/healthz",status="200"')).toBe(1);
    expect(series('method="GET",endpoint="unmatched",status="404"')).toBe(1);
    expect(text).not.toContain('123456');
    expect(text).not.toContain('no-such-route');
    // The original's buckets.
    expect(text).toContain(
      'broker_request_latency_seconds_bucket{le="0.075",method="POST",endpoint="/v1/allocate",status="201"}',
    );
  });

  it('counts contention: candidates lost to another process are retried, then 409', async () => {
    // The API caches all three `race-` candidates and takes one...
    await allocate('race-1', 'race-').expect(201);
    // ...another broker process (its own candidate pool) takes the other two...
    await t.repository.allocate({
      studentId: 'race-2',
      idempotencyKey: 'race-2',
      namePrefix: 'race-',
    });
    await t.repository.allocate({
      studentId: 'race-3',
      idempotencyKey: 'race-3',
      namePrefix: 'race-',
    });
    // ...so the API's next claims of its cached candidates lose, twice, before the pool is empty.
    await allocate('race-4', 'race-').expect(409);
    const text = await scrape();
    expect(sample(text, 'broker_allocate_conflicts_total')).toBe(2);
    expect(sample(text, 'broker_allocate_total{outcome="no_sandboxes"}')).toBe(2);
  });

  it('refreshes pool gauges from the index counts in the background', async () => {
    // 9 seeded; 2 allocated by the API (one then released), 2 by the other process.
    const expected = { available: 5, allocated: 3, pending_deletion: 1, total: 9 };
    let text = '';
    for (let i = 0; i < 100; i += 1) {
      text = await scrape();
      if (sample(text, 'broker_pool_available') === expected.available) break;
      await sleep(20);
    }
    expect(sample(text, 'broker_pool_available')).toBe(expected.available);
    expect(sample(text, 'broker_pool_allocated')).toBe(expected.allocated);
    expect(sample(text, 'broker_pool_pending_deletion')).toBe(expected.pending_deletion);
    expect(sample(text, 'broker_pool_stale')).toBe(0);
    expect(sample(text, 'broker_pool_deletion_failed')).toBe(0);
    expect(sample(text, 'broker_pool_total')).toBe(expected.total);
    expect(sample(text, 'broker_pool_refreshed_timestamp_seconds')).toBeGreaterThan(0);
  });

  it('keeps serving the last pool values when the store fails, and counts the failure', async () => {
    await t.stopEngine();
    let text = '';
    for (let i = 0; i < 200; i += 1) {
      text = await scrape();
      if ((sample(text, 'broker_pool_refresh_errors_total') ?? 0) >= 1) break;
      await sleep(50);
    }
    expect(sample(text, 'broker_pool_refresh_errors_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'broker_pool_available')).toBe(5);
  });
});

describe('GET /metrics with METRICS_TOKEN (e2e)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({ METRICS_TOKEN });
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer e2e-metrics-token-0002'],
    ['the track token', `Bearer ${TRACK_TOKEN}`],
    ['another scheme', `Basic ${METRICS_TOKEN}`],
  ])('answers 401 problem+json to %s', async (_, authorization) => {
    const req = request(t.server).get('/metrics');
    if (authorization !== undefined) void req.set('Authorization', authorization);
    const res = await req.expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(res.text).not.toContain('broker_allocate_total');
  });

  it('serves the metrics to the bearer of METRICS_TOKEN', async () => {
    const res = await request(t.server)
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(res.text).toContain('broker_allocate_total');
  });
});
