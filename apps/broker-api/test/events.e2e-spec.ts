import request from 'supertest';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

interface EventBody {
  event_id: string;
  at: string;
  type: string;
  sandbox_id: string | null;
  from: string | null;
  to: string | null;
  actor: { kind: string; id: string; via: string | null };
  action: string;
  request_id: string | null;
  details: Record<string, unknown> | null;
}

describe('GET /v1/admin/events (e2e, dynalite)', () => {
  let t: ApiTestApp;
  const startedAt = new Date(Date.now() - 1_000).toISOString();
  const allocated: string[] = [];

  const events = (query: Record<string, string | number> = {}, token = ADMIN_TOKEN) =>
    request(t.server).get('/v1/admin/events').query(query).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startApiTestApp();
    await t.seed(6, 'lab-ev-');
    for (let i = 0; i < 4; i += 1) {
      const res = await request(t.server)
        .post('/v1/allocate')
        .set('Authorization', `Bearer ${TRACK_TOKEN}`)
        .set('X-Instruqt-Sandbox-ID', `student-${i}`)
        .set('X-Instruqt-Track-ID', 'lab-events')
        .set('X-Request-ID', `alloc-${i}`);
      expect(res.status).toBe(201);
      allocated.push((res.body as { sandbox_id: string }).sandbox_id);
    }
    // An idempotent repeat is not an event.
    const repeat = await request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', 'student-0');
    expect(repeat.status).toBe(200);
    for (const attempt of [1, 2]) {
      const res = await request(t.server)
        .post(`/v1/sandboxes/${allocated[0]}/mark-for-deletion`)
        .set('Authorization', `Bearer ${TRACK_TOKEN}`)
        .set('X-Instruqt-Sandbox-ID', 'student-0')
        .set('X-Request-ID', `release-${attempt}`);
      expect(res.status).toBe(200);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('records allocations and the release, newest first, in the documented shape', async () => {
    const res = await events();
    expect(res.status).toBe(200);
    const body = res.body as { events: EventBody[]; count: number; cursor: string | null };
    expect(body.count).toBe(5);
    expect(body.cursor).toBeNull();
    expect(body.events.map((e) => [e.action, e.sandbox_id])).toEqual([
      ['release', allocated[0]],
      ['allocate', allocated[3]],
      ['allocate', allocated[2]],
      ['allocate', allocated[1]],
      ['allocate', allocated[0]],
    ]);
    expect(body.events[0]).toEqual({
      event_id: expect.stringMatching(/^\d{13}-[0-9a-f]{12}$/) as string,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      type: 'transition',
      sandbox_id: allocated[0],
      from: 'allocated',
      to: 'pending_deletion',
      // The track token's configured name (TRACK_TOKEN is `lab`), never the token.
      actor: { kind: 'student', id: 'student-0', via: 'lab' },
      action: 'release',
      request_id: 'release-1',
      details: null,
    });
    expect(body.events[4]).toMatchObject({
      from: 'available',
      to: 'allocated',
      actor: { kind: 'student', id: 'student-0', via: 'lab' },
      request_id: 'alloc-0',
      details: { track: 'lab-events' },
    });
  });

  it('filters by sandbox, type and time range', async () => {
    const one = (await events({ sandbox_id: allocated[0]! })).body as { events: EventBody[] };
    expect(one.events.map((e) => e.action)).toEqual(['release', 'allocate']);

    const admin = (await events({ type: 'admin_action' })).body as { count: number };
    expect(admin.count).toBe(0);

    const inRange = (await events({ from: startedAt, to: new Date().toISOString() })).body as {
      count: number;
    };
    expect(inRange.count).toBe(5);
    const future = (await events({ from: new Date(Date.now() + 60_000).toISOString() })).body as {
      count: number;
    };
    expect(future.count).toBe(0);
  });

  it('pages with cursors, each event once, and the last page ends', async () => {
    const all = ((await events()).body as { events: EventBody[] }).events.map((e) => e.event_id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await events({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const body = res.body as { events: EventBody[]; cursor: string | null };
      paged.push(...body.events.map((e) => e.event_id));
      cursor = body.cursor;
    } while (cursor !== null && paged.length < 100);
    expect(paged).toEqual(all);
  });

  it('answers 400 for a bad cursor or a cursor of another filter', async () => {
    const bad = await events({ cursor: 'garbage!' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_CURSOR' });
    const first = (await events({ limit: 1 })).body as { cursor: string };
    const foreign = await events({ limit: 1, type: 'transition', cursor: first.cursor });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it.each([
    [{ limit: 0 }],
    [{ limit: 101 }],
    [{ limit: 'ten' }],
    [{ type: 'other' }],
    [{ from: 'yesterday' }],
    [{ from: '2026-11-22T12:00:00' }],
    [{ from: '2026-11-22T12:00:00Z', to: '2026-11-22T11:00:00Z' }],
    [{ sandbox_id: 'a/b' }],
    [{ unknown: 'x' }],
  ])('answers 400 VALIDATION_ERROR for %j', async (query) => {
    const res = await events(query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('is for admins only: 403 for a track token, 401 without a token', async () => {
    expect((await events({}, TRACK_TOKEN)).status).toBe(403);
    expect((await request(t.server).get('/v1/admin/events')).status).toBe(401);
  });
});
