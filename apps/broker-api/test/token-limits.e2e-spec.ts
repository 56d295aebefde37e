import request from 'supertest';
import {
  ADMIN_TOKEN,
  type ApiTestApp,
  OTHER_TRACK_TOKEN,
  startApiTestApp,
  TRACK_TOKEN,
} from './testing/api-test-app';

/**
 * Limits per token on top of the per-student bucket, on the real app over dynalite. Buckets refill
 * at one token per 100 s, so the test needs no timing: the request after the burst is refused.
 */

const NO_STUDENT_LIMIT = { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000' };

function expectLimited(res: request.Response, detail: RegExp): void {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['retry-after']).toBe('100');
  expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', retry_after: 100 });
  expect((res.body as { detail: string }).detail).toMatch(detail);
}

function sample(text: string, name: string, token: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{token="${token}"}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('overall bucket per token (e2e, dynalite)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({
      ...NO_STUDENT_LIMIT,
      TOKEN_RATE_LIMIT_BURST: '5',
      TOKEN_RATE_LIMIT_PER_SEC: '0.01',
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  const getAs = (token: string, student: string) =>
    request(t.server)
      .get('/v1/sandboxes/4711')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Instruqt-Sandbox-ID', student);

  it('counts every student of a token together: new student ids buy no budget', async () => {
    for (let i = 0; i < 5; i += 1) await getAs(TRACK_TOKEN, `student-${i}`).expect(404);
    expectLimited(await getAs(TRACK_TOKEN, 'student-new'), /with this token/);
    // Another lab's token has its own bucket.
    await getAs(OTHER_TRACK_TOKEN, 'student-new').expect(404);
    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    expect(sample(metrics, 'broker_token_requests_limited_total', 'lab')).toBe(1);
    expect(sample(metrics, 'broker_token_requests_limited_total', 'other-lab')).toBe(0);
  });
});

describe('allocations per track token (e2e, dynalite)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({
      ...NO_STUDENT_LIMIT,
      ALLOCATION_LIMIT_BURST: '3',
      ALLOCATION_LIMIT_PER_MIN: '0.6',
    });
    await t.seed(10, 'lab-tl-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const allocateAs = (token: string, student: string) =>
    request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Instruqt-Sandbox-ID', student);

  const allocatedRows = async () =>
    (await t.scanTable()).filter((item) => item['status'] === 'allocated').length;

  it('stops one token from draining the pool with made-up students, and says so', async () => {
    for (let i = 0; i < 3; i += 1) await allocateAs(TRACK_TOKEN, `made-up-${i}`).expect(201);
    expectLimited(await allocateAs(TRACK_TOKEN, 'made-up-3'), /allocations with this token/);
    expectLimited(await allocateAs(TRACK_TOKEN, 'made-up-4'), /allocations with this token/);
    expect(await allocatedRows()).toBe(3);
    // Reads of the same token and allocations of another lab go on.
    await request(t.server)
      .get('/v1/sandboxes/4711')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', 'made-up-0')
      .expect(404);
    await allocateAs(OTHER_TRACK_TOKEN, 'student-x').expect(201);

    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    expect(sample(metrics, 'broker_token_allocations_limited_total', 'lab')).toBe(2);
    expect(sample(metrics, 'broker_token_allocations_limited_total', 'other-lab')).toBe(0);

    // One event per token and minute, however many refusals: the log cannot be flooded.
    const events = await request(t.server)
      .get('/v1/admin/events?type=admin_action')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    const limited = (events.body as { events: { action: string }[] }).events.filter(
      (e) => e.action === 'token_limited',
    );
    expect(limited).toEqual([
      expect.objectContaining({
        type: 'admin_action',
        sandbox_id: null,
        actor: { kind: 'system', id: 'rate-limit', via: 'lab' },
        details: { token: 'lab', limit: 'allocations', burst: 3, retry_after_sec: 100 },
      }),
    ]);
  });
});

describe('track tokens bound to track slugs (e2e, dynalite)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({ BROKER_TRACK_TOKEN_TRACKS: 'lab:dns-lab|ipam-lab' });
    await t.seed(5, 'lab-bt-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const allocate = (token: string, student: string, track?: string) => {
    const req = request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Instruqt-Sandbox-ID', student);
    return track === undefined ? req : req.set('X-Instruqt-Track-ID', track);
  };

  it('allocates for its own slugs only; another track or none is 403 and changes nothing', async () => {
    await allocate(TRACK_TOKEN, 'student-1', 'dns-lab').expect(201);
    await allocate(TRACK_TOKEN, 'student-2', 'ipam-lab').expect(201);
    const before = await t.scanTable();
    for (const track of ['other-lab', 'DNS-LAB', undefined]) {
      const res = await allocate(TRACK_TOKEN, 'student-3', track);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, code: 'TRACK_NOT_ALLOWED' });
      expect(res.text).not.toContain('other-lab');
    }
    expect(await t.scanTable()).toEqual(before);
    // An unbound token serves any track.
    await allocate(OTHER_TRACK_TOKEN, 'student-4', 'other-lab').expect(201);
  });
});
