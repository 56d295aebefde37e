import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { hourStartOf, HOUR_MS, SANDBOX_STORE, type SandboxStore } from '@broker/domain';
import {
  ADMIN_TOKEN,
  type ApiTestApp,
  startApiTestApp,
  TRACK_TOKEN,
  VIEWER_TOKEN,
} from './testing/api-test-app';

/** The console's data endpoints over the real AppModule on dynalite (issue #14). */
describe('console data endpoints (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let store: SandboxStore;

  beforeAll(async () => {
    t = await startApiTestApp({ ADMIN_STATS_CACHE_SEC: '0' });
    store = t.app.get<SandboxStore>(SANDBOX_STORE);
    await t.seed(12, 'lab-d-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, token = VIEWER_TOKEN) =>
    request(t.server).get(path).set('Authorization', `Bearer ${token}`);
  function expectProblem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status, code });
  }
  const allocate = (student: string, track: string) =>
    request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', student)
      .set('X-Instruqt-Track-ID', track)
      .set('X-Sandbox-Name-Prefix', 'lab-d-');

  it('counts allocations per hour from the event-log flush: 24 or 168 zero-filled buckets', async () => {
    const before = await get('/v1/admin/stats/allocations?window=24h');
    expect(before.status).toBe(200);
    const lastBefore = (before.body.buckets as { allocations: number }[]).at(-1)!.allocations;
    for (const student of ['a1', 'a2', 'a3'])
      expect((await allocate(student, 'dns-lab')).status).toBe(201);
    // A repeat returns the same sandbox and is no new allocation.
    expect((await allocate('a1', 'dns-lab')).status).toBe(200);
    await store.events.flush();
    const res = await get('/v1/admin/stats/allocations?window=24h');
    expect(res.body).toMatchObject({ window: '24h', bucket_seconds: 3600 });
    const buckets = res.body.buckets as { start: string; allocations: number }[];
    expect(buckets).toHaveLength(24);
    const nowHour = hourStartOf(Date.now());
    expect(Date.parse(buckets.at(-1)!.start)).toBe(nowHour);
    expect(Date.parse(buckets[0]!.start)).toBe(nowHour - 23 * HOUR_MS);
    expect(buckets.at(-1)!.allocations).toBe(lastBefore + 3);
    const week = await get('/v1/admin/stats/allocations?window=7d');
    expect(week.body.buckets).toHaveLength(168);
    expect(week.body.buckets.at(-1).allocations).toBe(lastBefore + 3);
    // Default window is 24h.
    expect((await get('/v1/admin/stats/allocations')).body.buckets).toHaveLength(24);
  });

  it('answers 400 problem for a bad window, 401 without a token', async () => {
    for (const path of ['allocations', 'cleanup']) {
      expectProblem(await get(`/v1/admin/stats/${path}?window=1y`), 400, 'VALIDATION_ERROR');
      expectProblem(await get(`/v1/admin/stats/${path}?window=`), 400, 'VALIDATION_ERROR');
      expectProblem(await request(t.server).get(`/v1/admin/stats/${path}`), 401, 'UNAUTHORIZED');
    }
    expectProblem(await request(t.server).get('/v1/admin/stats/tracks'), 401, 'UNAUTHORIZED');
    expectProblem(await get('/v1/admin/stats/allocations', TRACK_TOKEN), 403, 'FORBIDDEN');
  });

  it('reads cleanup outcome counters per hour with totals', async () => {
    const hour = hourStartOf(Date.now());
    await store.activity.addCleanupOutcomes(hour, { deleted: 4, retried: 1, niosxaasCleaned: 2 });
    await store.activity.addCleanupOutcomes(hour - 2 * HOUR_MS, { failed: 1, quarantined: 3 });
    const res = await get('/v1/admin/stats/cleanup?window=24h');
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({
      deleted: 4,
      retried: 1,
      failed: 1,
      quarantined: 3,
      niosxaas_cleaned: 2,
      niosxaas_skipped: 0,
      niosxaas_failed: 0,
    });
    expect(res.body.buckets).toHaveLength(24);
    expect(res.body.buckets.at(-1)).toMatchObject({ deleted: 4, niosxaas_cleaned: 2 });
    expect(res.body.buckets.at(-3)).toMatchObject({ failed: 1, quarantined: 3 });
  });

  it('reads the per-track snapshot (null before the first recount)', async () => {
    expect((await get('/v1/admin/stats/tracks')).body).toEqual({ as_of: null, tracks: [] });
    const asOfMs = Date.now();
    await store.activity.writeTrackSnapshot({
      asOfMs,
      tracks: [{ track: 'dns-lab', allocated: 3 }],
    });
    expect((await get('/v1/admin/stats/tracks')).body).toEqual({
      as_of: new Date(asOfMs).toISOString(),
      tracks: [{ track: 'dns-lab', allocated: 3 }],
    });
  });

  it('GET /v1/admin/sandboxes/:id answers the listing shape, 404 for an unknown id', async () => {
    const list = await get('/v1/admin/sandboxes?status=allocated');
    const item = list.body.sandboxes[0];
    const one = await get(`/v1/admin/sandboxes/${String(item.sandbox_id)}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(item);
    expectProblem(await get('/v1/admin/sandboxes/9999999999'), 404, 'SANDBOX_NOT_FOUND');
  });

  it('searches with q: exact id, account id, else a name prefix', async () => {
    const all = (await get('/v1/admin/sandboxes?limit=100')).body.sandboxes as {
      sandbox_id: string;
      name: string;
      external_id: string;
      status: string;
    }[];
    const one = all.find((s) => s.name === 'lab-d-0007')!;
    const byId = await get(`/v1/admin/sandboxes?q=${one.sandbox_id}`);
    expect(byId.body.sandboxes.map((s: { name: string }) => s.name)).toEqual(['lab-d-0007']);
    const account = one.external_id.split('/').at(-1)!;
    const byAccount = await get(`/v1/admin/sandboxes?q=${account}`);
    expect(byAccount.body.sandboxes.map((s: { name: string }) => s.name)).toEqual(['lab-d-0007']);
    const byName = await get('/v1/admin/sandboxes?q=lab-d-001&limit=100');
    expect(byName.body.sandboxes.map((s: { name: string }) => s.name).sort()).toEqual([
      'lab-d-0010',
      'lab-d-0011',
      'lab-d-0012',
    ]);
    // An exact hit outside the other filters is no hit.
    const other = one.status === 'allocated' ? 'available' : 'allocated';
    expect(
      (await get(`/v1/admin/sandboxes?q=${one.sandbox_id}&status=${other}`)).body.sandboxes,
    ).toEqual([]);
    expectProblem(await get('/v1/admin/sandboxes?q=a%20b'), 400, 'VALIDATION_ERROR');
  });

  it('lists recent runs of a job newest first; stats carry the last successful run', async () => {
    const base = Date.now() - 60_000;
    const save = (job: string, status: 'succeeded' | 'failed', at: number) =>
      store.runs.save({
        runId: randomUUID(),
        job,
        status,
        owner: 'w:1',
        triggeredBy: 'schedule',
        startedAtMs: at,
        finishedAtMs: at + 500,
        durationMs: 500,
        ...(status === 'succeeded' ? { result: { inserted: 1 } } : { error: 'boom' }),
      });
    await save('sync', 'succeeded', base);
    await save('sync', 'failed', base + 1000);
    await save('cleanup', 'succeeded', base + 2000);
    const res = await get('/v1/admin/jobs/runs?job=sync&limit=10');
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { status: string }) => r.status)).toEqual([
      'failed',
      'succeeded',
    ]);
    expect(res.body.items[1]).toMatchObject({
      job: 'sync',
      triggered_by: 'schedule',
      duration_ms: 500,
    });
    expect((await get('/v1/admin/jobs/runs?job=sync&limit=1')).body.items).toHaveLength(1);
    // A run still marked running whose lease lapsed long ago reads as lost, as by its id.
    const dead = randomUUID();
    await store.runs.save({
      runId: dead,
      job: 'cleanup',
      status: 'running',
      owner: 'w:dead',
      triggeredBy: 'schedule',
      startedAtMs: base - 3_600_000,
    });
    const cleanupRuns = (await get('/v1/admin/jobs/runs?job=cleanup')).body.items as {
      run_id: string;
      status: string;
    }[];
    expect(cleanupRuns.find((r) => r.run_id === dead)?.status).toBe('lost');
    expectProblem(await get('/v1/admin/jobs/runs?job=expiry'), 400, 'VALIDATION_ERROR');
    expectProblem(await get('/v1/admin/jobs/runs?job=sync&limit=51'), 400, 'VALIDATION_ERROR');
    const stats = await get('/v1/admin/stats', ADMIN_TOKEN);
    expect(stats.body.last_sync_at).toBe(new Date(base + 500).toISOString());
    expect(stats.body.last_cleanup_at).toBe(new Date(base + 2500).toISOString());
    expect(Date.parse(stats.body.generated_at)).toBeGreaterThan(0);
  });
});
