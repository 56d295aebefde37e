import request from 'supertest';
import {
  SANDBOX_EVENT_LOG,
  SANDBOX_STORE,
  type SandboxEventLog,
  SandboxStatus,
  type SandboxStore,
} from '@broker/domain';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

/** The admin module over the real AppModule on dynalite. */
describe('admin API (e2e, dynalite)', () => {
  let t: ApiTestApp;
  const allocated: string[] = [];

  beforeAll(async () => {
    t = await startApiTestApp({ ADMIN_STATS_CACHE_SEC: '0' });
    await t.seed(30, 'lab-a-');
    await t.seed(20, 'lab-b-');
    for (const student of ['s1', 's2', 's3']) {
      const { sandbox } = await t.repository.allocate({
        studentId: student,
        idempotencyKey: student,
        namePrefix: 'lab-a-',
        trackName: 'track-1',
      });
      allocated.push(sandbox.sandboxId);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, token: string | null = ADMIN_TOKEN) => {
    const req = request(t.server).get(path);
    return token === null ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const post = (path: string, body?: object) => {
    const req = request(t.server).post(path).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    return body ? req.send(body) : req;
  };
  function expectProblem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status, code });
  }

  /** Every page of a listing; asserts each row comes exactly once. */
  async function walk(query: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const res = await get(
        `/v1/admin/sandboxes?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const body = res.body as {
        sandboxes: { sandbox_id: string }[];
        count: number;
        cursor: string | null;
      };
      expect(body.count).toBe(body.sandboxes.length);
      expect(body.sandboxes.length).toBeLessThanOrEqual(limit);
      ids.push(...body.sandboxes.map((s) => s.sandbox_id));
      cursor = body.cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(new Set(ids).size).toBe(ids.length);
    return ids;
  }

  describe('listing', () => {
    it('walks every filter with cursors, each row exactly once', async () => {
      expect(await walk('status=available', 7)).toHaveLength(47);
      expect(await walk('status=available&name_prefix=lab-b-', 6)).toHaveLength(20);
      expect(await walk('status=allocated&name_prefix=lab-a-', 2)).toHaveLength(3);
      expect(await walk('', 9)).toHaveLength(50);
      expect(await walk('track=track-1', 2)).toHaveLength(3);
      expect(await walk('track=track-1&status=available', 2)).toHaveLength(0);
      const mine = await walk('owner=s2', 5);
      expect(mine).toEqual([allocated[1]]);
    });

    it('shows the admin view of a row', async () => {
      const res = await get('/v1/admin/sandboxes?owner=s1');
      expect(res.body.sandboxes[0]).toMatchObject({
        sandbox_id: allocated[0],
        status: 'allocated',
        owner_id: 's1',
        track_name: 'track-1',
        deletion_attempts: 0,
        quarantine_reason: null,
      });
    });

    it('answers 400 for bad cursors, limits and filters', async () => {
      const first = await get('/v1/admin/sandboxes?status=available&limit=3');
      const cursor = String(first.body.cursor);
      expectProblem(
        await get('/v1/admin/sandboxes?status=stale&cursor=' + cursor),
        400,
        'INVALID_CURSOR',
      );
      expectProblem(await get('/v1/admin/sandboxes?cursor=' + cursor), 400, 'INVALID_CURSOR');
      expectProblem(
        await get('/v1/admin/sandboxes?status=available&cursor=bm9wZQ'),
        400,
        'INVALID_CURSOR',
      );
      expectProblem(await get('/v1/admin/sandboxes?cursor=%00%01'), 400, 'INVALID_CURSOR');
      for (const q of ['limit=0', 'limit=101', 'limit=x', 'status=bogus', 'owner=a%20b']) {
        expectProblem(await get(`/v1/admin/sandboxes?${q}`), 400, 'VALIDATION_ERROR');
      }
    });

    it('is for admin tokens only', async () => {
      expectProblem(await get('/v1/admin/sandboxes', TRACK_TOKEN), 403, 'FORBIDDEN');
      expectProblem(await get('/v1/admin/stats', null), 401, 'UNAUTHORIZED');
    });
  });

  it('counts exactly by status and by name prefix', async () => {
    const res = await get('/v1/admin/stats');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      total: 50,
      available: 47,
      allocated: 3,
      by_status: expect.objectContaining({ available: 47, allocated: 3, deleted: 0 }) as unknown,
      by_prefix: { 'lab-a-': { available: 27, allocated: 3 }, 'lab-b-': { available: 20 } },
    });
    expect(typeof res.body.age_seconds).toBe('number');
  });

  describe('repairs', () => {
    it('force-releases, quarantines and retries one sandbox, recording each change', async () => {
      const id = allocated[0]!;
      const released = await post(`/v1/admin/sandboxes/${id}/force-release`);
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ status: 'pending_deletion', owner_id: 's1' });
      expectProblem(
        await post(`/v1/admin/sandboxes/${id}/force-release`),
        409,
        'INVALID_STATE_TRANSITION',
      );

      const quarantined = await post(`/v1/admin/sandboxes/${id}/quarantine`, {
        reason: 'account stuck at the provider',
      });
      expect(quarantined.body).toMatchObject({
        status: 'quarantined',
        quarantine_reason: 'account stuck at the provider',
      });
      const retried = await post(`/v1/admin/sandboxes/${id}/retry-deletion`);
      expect(retried.body).toMatchObject({
        status: 'pending_deletion',
        deletion_attempts: 0,
        quarantine_reason: null,
      });

      const events = t.app.get<SandboxEventLog>(SANDBOX_EVENT_LOG);
      const trail = await events.list({ sandboxId: id, limit: 10 });
      const actions = trail.items.map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['force_release', 'quarantine', 'retry_deletion']),
      );
      expect(trail.items.find((e) => e.action === 'quarantine')).toMatchObject({
        actor: { kind: 'admin', id: 'ops' },
        from: 'pending_deletion',
        to: 'quarantined',
        requestId: quarantined.headers['x-request-id'],
      });
    });

    it('validates ids and bodies, and answers 404 for unknown sandboxes', async () => {
      expectProblem(
        await post('/v1/admin/sandboxes/999999999/force-release'),
        404,
        'SANDBOX_NOT_FOUND',
      );
      expectProblem(
        await post('/v1/admin/sandboxes/bad%20id/force-release'),
        400,
        'VALIDATION_ERROR',
      );
      const id = allocated[1]!;
      for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(501) }, { reason: 5 }]) {
        expectProblem(
          await post(`/v1/admin/sandboxes/${id}/quarantine`, body),
          400,
          'VALIDATION_ERROR',
        );
      }
      // allocated rows are not quarantined (a student holds them): release first
      expectProblem(
        await post(`/v1/admin/sandboxes/${id}/quarantine`, { reason: 'why' }),
        409,
        'INVALID_STATE_TRANSITION',
      );
    });
  });

  describe('bulk delete and delete stale', () => {
    it('requires a status and force for allocated rows, changing nothing when refused', async () => {
      const before = await t.scanTable();
      expectProblem(await post('/v1/admin/bulk-delete'), 400, 'VALIDATION_ERROR');
      expectProblem(await post('/v1/admin/bulk-delete?status=deleted'), 400, 'VALIDATION_ERROR');
      expectProblem(await post('/v1/admin/bulk-delete?status=allocated'), 409, 'FORCE_REQUIRED');
      expectProblem(await post('/v1/admin/bulk-delete?status=deleting'), 409, 'FORCE_REQUIRED');
      expectProblem(
        await post('/v1/admin/bulk-delete?status=available&limit=0'),
        400,
        'VALIDATION_ERROR',
      );
      expect(await t.scanTable()).toEqual(before);
    });

    it('sends rows towards deletion in bounded batches and says what it did', async () => {
      const partial = await post('/v1/admin/bulk-delete?status=available&limit=5');
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({
        status: 'partial',
        from: 'available',
        to: 'pending_deletion',
        matched: 5,
        changed: 5,
        skipped: 0,
        has_more: true,
      });
      // s1's sandbox was force-released above: s2's and s3's remain.
      const forced = await post('/v1/admin/bulk-delete?status=allocated&force=true');
      expect(forced.body).toMatchObject({
        status: 'completed',
        changed: 2,
        to: 'pending_deletion',
      });
      // Rows in deletion become tombstones only with force (DB only).
      const tomb = await post('/v1/admin/bulk-delete?status=pending_deletion&force=true&limit=2');
      expect(tomb.body).toMatchObject({ to: 'deleted', changed: 2 });
      const stats = await get('/v1/admin/stats');
      expect(stats.body).toMatchObject({ total: 50, allocated: 0, deleted: 2, available: 42 });
      const summary = await t.app
        .get<SandboxEventLog>(SANDBOX_EVENT_LOG)
        .list({ type: 'admin_action', limit: 10 });
      expect(summary.items.map((e) => e.action)).toContain('bulk_delete');
    });

    it('tombstones stale rows past the grace (validated), also under the original path', async () => {
      const store = t.app.get<SandboxStore>(SANDBOX_STORE);
      const lifecycle = store.lifecycle;
      const stale = await t.repository.list({
        status: SandboxStatus.Available,
        namePrefix: 'lab-b-',
        limit: 4,
      });
      for (const s of stale.items) {
        expect(await lifecycle.markStale(s.sandboxId, Math.floor(Date.now() / 1000) + 60)).toBe(
          true,
        );
      }
      expectProblem(await post('/v1/admin/delete-stale?grace_hours=-1'), 400, 'VALIDATION_ERROR');
      expectProblem(await post('/v1/admin/delete-stale?grace_hours=1.5'), 400, 'VALIDATION_ERROR');
      const kept = await post('/v1/admin/delete-stale?grace_hours=24');
      expect(kept.body).toMatchObject({ matched: 4, changed: 0, grace_hours: 24 });
      const purged = await post('/v1/admin/auto-delete-stale?grace_period_hours=0');
      expect(purged.body).toMatchObject({ matched: 4, changed: 4, to: 'deleted', grace_hours: 0 });
      expect((await t.repository.get(stale.items[0]!.sandboxId))?.status).toBe('deleted');
    });
  });
});
