import request from 'supertest';
import { SANDBOX_STORE, type SandboxStore } from '@broker/domain';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

describe('/v1/admin/tracks/{track}/quota (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let student = 0;
  const nextStudent = () => `quota-student-${++student}`;

  beforeAll(async () => {
    t = await startApiTestApp();
    await t.seed(12, 'lab-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const admin = (method: 'get' | 'put' | 'delete', path: string, token = ADMIN_TOKEN) =>
    request(t.server)[method](path).set('Authorization', `Bearer ${token}`);
  const putQuota = (track: string, body: unknown) =>
    admin('put', `/v1/admin/tracks/${track}/quota`).send(body as object);
  const allocate = (studentId: string, track: string) =>
    request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', studentId)
      .set('X-Instruqt-Track-ID', track);
  const release = (id: string, studentId: string) =>
    request(t.server)
      .post(`/v1/sandboxes/${id}/mark-for-deletion`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', studentId);

  function problem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: `https://sandbox-broker.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      status,
      code,
      request_id: res.headers['x-request-id'],
    });
    return body;
  }

  it('creates (201), changes (200), reads, lists and deletes (204) a quota, with events', async () => {
    const created = await putQuota('crud-lab', { max_allocated: 3 }).expect(201);
    expect(created.body).toEqual({
      track: 'crud-lab',
      max_allocated: 3,
      held: 0,
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const changed = await putQuota('crud-lab', { max_allocated: 5 }).expect(200);
    expect(changed.body).toMatchObject({ track: 'crud-lab', max_allocated: 5, held: 0 });
    const read = await admin('get', '/v1/admin/tracks/crud-lab/quota').expect(200);
    expect(read.body).toMatchObject({ max_allocated: 5, held: 0 });
    await putQuota('crud-lab-2', { max_allocated: 0 }).expect(201);
    const first = await admin('get', '/v1/admin/tracks/quotas?limit=1').expect(200);
    expect(first.body).toMatchObject({ count: 1, quotas: [{ track: 'crud-lab' }] });
    const second = await admin(
      'get',
      `/v1/admin/tracks/quotas?limit=1&cursor=${String(first.body.cursor)}`,
    ).expect(200);
    expect(second.body.quotas.map((q: { track: string }) => q.track)).toContain('crud-lab-2');
    await admin('delete', '/v1/admin/tracks/crud-lab/quota').expect(204);
    problem(await admin('get', '/v1/admin/tracks/crud-lab/quota'), 404, 'TRACK_NOT_FOUND');
    problem(await admin('delete', '/v1/admin/tracks/crud-lab/quota'), 404, 'TRACK_NOT_FOUND');
    await admin('delete', '/v1/admin/tracks/crud-lab-2/quota').expect(204);
    const events = await admin('get', '/v1/admin/events?type=admin_action&limit=100').expect(200);
    const actions = (events.body.events as Array<{ action: string; details?: object }>)
      .filter((e) => ['quota_set', 'quota_deleted'].includes(e.action))
      .map((e) => e.action);
    expect(actions.filter((a) => a === 'quota_set')).toHaveLength(3);
    expect(actions.filter((a) => a === 'quota_deleted')).toHaveLength(2);
  });

  it('refuses allocations over the quota with 409 TRACK_QUOTA_EXCEEDED; a holder still gets 200; release returns the unit', async () => {
    await putQuota('class-lab', { max_allocated: 2 }).expect(201);
    const a = nextStudent();
    const b = nextStudent();
    const first = await allocate(a, 'class-lab').expect(201);
    await allocate(b, 'class-lab').expect(201);
    const refused = await allocate(nextStudent(), 'class-lab');
    const body = problem(refused, 409, 'TRACK_QUOTA_EXCEEDED');
    expect(body['quota']).toEqual({ track: 'class-lab', max_allocated: 2, held: 2 });
    expect(refused.headers['retry-after']).toBe('30');
    // A repeat by a student who holds one: the same sandbox, 200.
    const repeat = await allocate(a, 'class-lab').expect(200);
    expect(repeat.body.sandbox_id).toBe(first.body.sandbox_id);
    // Other tracks are not limited.
    await allocate(nextStudent(), 'free-lab').expect(201);
    await release(String(first.body.sandbox_id), a).expect(200);
    const after = await admin('get', '/v1/admin/tracks/class-lab/quota').expect(200);
    expect(after.body.held).toBe(1);
    await allocate(nextStudent(), 'class-lab').expect(201);
  });

  it('a new quota on a track that already holds sandboxes starts from their count', async () => {
    await allocate(nextStudent(), 'busy-lab').expect(201);
    await allocate(nextStudent(), 'busy-lab').expect(201);
    const created = await putQuota('busy-lab', { max_allocated: 2 }).expect(201);
    expect(created.body.held).toBe(2);
    problem(await allocate(nextStudent(), 'busy-lab'), 409, 'TRACK_QUOTA_EXCEEDED');
  });

  it('answers bad input with problem+json and changes nothing', async () => {
    // Earlier tests' events still in the log's buffer would land during this one.
    await t.app.get<SandboxStore>(SANDBOX_STORE).events.flush();
    const before = await t.scanTable();
    for (const body of [
      { max_allocated: -1 },
      { max_allocated: 1.5 },
      { max_allocated: 100_001 },
      { max_allocated: '5' },
      { max_allocated: null },
      {},
      { max_allocated: 1, extra: true },
    ]) {
      const res = await putQuota('bad-lab', body);
      const problemBody = problem(res, 400, 'VALIDATION_ERROR');
      expect(JSON.stringify(problemBody['errors'])).toMatch(/max_allocated|extra/);
    }
    for (const path of ['/v1/admin/tracks/a%20b/quota', '/v1/admin/tracks/a%3Ab/quota']) {
      expect(problem(await admin('get', path), 400, 'VALIDATION_ERROR')['detail']).toBe(
        'Invalid path parameter track',
      );
      problem(await admin('delete', path), 400, 'VALIDATION_ERROR');
      problem(await admin('put', path).send({ max_allocated: 1 }), 400, 'VALIDATION_ERROR');
    }
    problem(await admin('get', '/v1/admin/tracks/quotas?cursor=bm9wZQ'), 400, 'INVALID_CURSOR');
    problem(await admin('get', '/v1/admin/tracks/no-such-lab/quota'), 404, 'TRACK_NOT_FOUND');
    // Not an admin token.
    problem(
      await admin('put', '/v1/admin/tracks/bad-lab/quota', TRACK_TOKEN).send({ max_allocated: 1 }),
      403,
      'FORBIDDEN',
    );
    problem(await request(t.server).get('/v1/admin/tracks/quotas'), 401, 'UNAUTHORIZED');
    expect(await t.scanTable()).toEqual(before);
  });
});
