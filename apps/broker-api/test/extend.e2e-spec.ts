import request from 'supertest';
import {
  ADMIN_TOKEN,
  type ApiTestApp,
  OTHER_TRACK_TOKEN,
  startApiTestApp,
  TRACK_TOKEN,
} from './testing/api-test-app';

describe('POST /v1/sandboxes/:id/extend (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let student = 0;
  const nextStudent = () => `extender-${++student}`;

  beforeAll(async () => {
    t = await startApiTestApp({
      EXTENSION_STEP_MINUTES: '30',
      EXTENSION_MAX_COUNT: '2',
      EXTENSION_MAX_LEASE_HOURS: '72',
      TRACK_LEASE_MINUTES: 'cap-lab:4300',
    });
    await t.seed(10, 'lab-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const allocate = async (studentId: string, track?: string) => {
    const req = request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', studentId);
    if (track) void req.set('X-Instruqt-Track-ID', track);
    const res = await req.expect(201);
    return res.body as { sandbox_id: string; allocated_at: number; expires_at: number };
  };
  const extend = (id: string, studentId?: string, token: string | null = TRACK_TOKEN) => {
    const req = request(t.server).post(`/v1/sandboxes/${id}/extend`);
    if (token !== null) void req.set('Authorization', `Bearer ${token}`);
    if (studentId !== undefined) void req.set('X-Instruqt-Sandbox-ID', studentId);
    return req;
  };

  function problem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({
      type: `https://sandbox-broker.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      status,
      code,
      request_id: res.headers['x-request-id'],
    });
    return body;
  }

  it('adds one step per call, twice, then 409 EXTENSION_LIMIT_REACHED with the limits', async () => {
    const owner = nextStudent();
    const sandbox = await allocate(owner);
    const first = await extend(sandbox.sandbox_id, owner).expect(200);
    expect(first.body).toEqual({
      sandbox_id: sandbox.sandbox_id,
      status: 'allocated',
      allocated_at: sandbox.allocated_at,
      expires_at: sandbox.expires_at + 1800,
      extension_count: 1,
      extensions_left: 1,
    });
    // Any track token may act for the student, like read and release.
    const second = await extend(sandbox.sandbox_id, owner, OTHER_TRACK_TOKEN).expect(200);
    expect(second.body).toMatchObject({
      expires_at: sandbox.expires_at + 3600,
      extensions_left: 0,
    });
    const body = problem(await extend(sandbox.sandbox_id, owner), 409, 'EXTENSION_LIMIT_REACHED');
    expect(body.limits).toEqual({
      step_minutes: 30,
      max_count: 2,
      max_lease_hours: 72,
      extension_count: 2,
    });
    const read = await request(t.server)
      .get(`/v1/sandboxes/${sandbox.sandbox_id}`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', owner)
      .expect(200);
    expect(read.body.expires_at).toBe(sandbox.expires_at + 3600);
  });

  it('never passes allocated_at + EXTENSION_MAX_LEASE_HOURS (a 4300-minute track gets 20 min)', async () => {
    const owner = nextStudent();
    const sandbox = await allocate(owner, 'cap-lab');
    const res = await extend(sandbox.sandbox_id, owner).expect(200);
    expect(res.body.expires_at).toBe(sandbox.allocated_at + 72 * 3600);
    problem(await extend(sandbox.sandbox_id, owner), 409, 'EXTENSION_LIMIT_REACHED');
  });

  it('403 for another student, 404 unknown, 409 SANDBOX_NOT_ALLOCATED after release', async () => {
    const owner = nextStudent();
    const sandbox = await allocate(owner);
    const other = problem(
      await extend(sandbox.sandbox_id, 'someone-else'),
      403,
      'NOT_SANDBOX_OWNER',
    );
    expect(JSON.stringify(other)).not.toContain(owner);
    problem(await extend('999999999', owner), 404, 'SANDBOX_NOT_FOUND');
    await request(t.server)
      .post(`/v1/sandboxes/${sandbox.sandbox_id}/mark-for-deletion`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', owner)
      .expect(200);
    problem(await extend(sandbox.sandbox_id, owner), 409, 'SANDBOX_NOT_ALLOCATED');
  });

  it('401 without a token, 403 for an admin token, 400 without the student header', async () => {
    problem(await extend('4711', 'x', null), 401, 'UNAUTHORIZED');
    problem(await extend('4711', 'x', ADMIN_TOKEN), 403, 'FORBIDDEN');
    problem(await extend('4711'), 400, 'MISSING_SANDBOX_ID');
  });

  it('10 concurrent extensions add exactly EXTENSION_MAX_COUNT steps', async () => {
    const owner = nextStudent();
    const sandbox = await allocate(owner);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => extend(sandbox.sandbox_id, owner)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(8);
    expect((await t.repository.get(sandbox.sandbox_id))?.expiresAt).toBe(sandbox.expires_at + 3600);
  });

  it('records one extend event per extension, actor via the token name', async () => {
    const owner = nextStudent();
    const sandbox = await allocate(owner);
    await extend(sandbox.sandbox_id, owner).set('X-Request-ID', 'extend-1').expect(200);
    const res = await request(t.server)
      .get('/v1/admin/events')
      .query({ sandbox_id: sandbox.sandbox_id })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(res.body.events.map((e: { action: string }) => e.action)).toEqual([
      'extend',
      'allocate',
    ]);
    expect(res.body.events[0]).toMatchObject({
      type: 'transition',
      from: 'allocated',
      to: 'allocated',
      actor: { kind: 'student', id: owner, via: 'lab' },
      action: 'extend',
      request_id: 'extend-1',
      details: { expires_at: sandbox.expires_at + 1800, extension_count: 1 },
    });
  });
});
