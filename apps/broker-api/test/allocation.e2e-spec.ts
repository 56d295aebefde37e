import request from 'supertest';
import {
  ADMIN_TOKEN,
  type ApiTestApp,
  OTHER_TRACK_TOKEN,
  startApiTestApp,
  TRACK_TOKEN,
} from './testing/api-test-app';

const LEASE_SECONDS = 48 * 3600;

describe('allocation API (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let student = 0;
  /** A fresh student id per test, so tests never share allocations. */
  const nextStudent = () => `participant-${++student}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    t = await startApiTestApp();
    await t.seed(20, 'lab-alpha-');
    await t.seed(12, 'lab-beta-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const allocate = (headers: Record<string, string>, token: string | null = TRACK_TOKEN) => {
    const req = request(t.server).post('/v1/allocate');
    if (token !== null) void req.set('Authorization', `Bearer ${token}`);
    return req.set(headers);
  };
  const getSandbox = (id: string, studentId: string, token = TRACK_TOKEN) =>
    request(t.server)
      .get(`/v1/sandboxes/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Instruqt-Sandbox-ID', studentId);
  const release = (id: string, studentId: string, token = TRACK_TOKEN) =>
    request(t.server)
      .post(`/v1/sandboxes/${id}/mark-for-deletion`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Instruqt-Sandbox-ID', studentId);

  /** Asserts the RFC 9457 envelope and returns the parsed body. */
  function problem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toEqual(
      expect.objectContaining({
        type: `https://sandbox-broker.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
        title: expect.any(String),
        status,
        detail: expect.any(String),
        code,
        request_id: res.headers['x-request-id'],
      }),
    );
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    return body;
  }

  describe('POST /v1/allocate', () => {
    it('201: allocates a sandbox with the full body', async () => {
      const studentId = nextStudent();
      const res = await allocate({
        'X-Instruqt-Sandbox-ID': studentId,
        'X-Instruqt-Track-ID': 'dns-basics',
        'X-Sandbox-Name-Prefix': 'lab-alpha-',
      }).expect(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        sandbox_id: expect.stringMatching(/^\d+$/),
        name: expect.stringMatching(/^lab-alpha-\d{4}$/),
        external_id: expect.stringMatching(/^identity\/accounts\/[0-9a-f-]{36}$/),
        status: 'allocated',
        allocated_to_track: studentId,
        allocated_at: expect.any(Number),
        expires_at: res.body.allocated_at + LEASE_SECONDS,
        track_name: 'dns-basics',
        sfdc_account_id: null,
      });
    });

    it('200: a repeat by the same student returns the same sandbox', async () => {
      const studentId = nextStudent();
      const first = await allocate({ 'X-Instruqt-Sandbox-ID': studentId }).expect(201);
      const again = await allocate({ 'X-Instruqt-Sandbox-ID': studentId }).expect(200);
      expect(again.body).toEqual(first.body);
    });

    it('concurrent retries of one student yield one sandbox', async () => {
      const studentId = nextStudent();
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => allocate({ 'X-Instruqt-Sandbox-ID': studentId })),
      );
      const ok = responses.filter((r) => r.status === 200 || r.status === 201);
      for (const r of responses.filter((x) => !ok.includes(x))) {
        problem(r, 409, 'ALLOCATION_IN_PROGRESS');
      }
      expect(new Set(ok.map((r) => r.body.sandbox_id)).size).toBe(1);
      const settled = await allocate({ 'X-Instruqt-Sandbox-ID': studentId }).expect(200);
      expect(settled.body.sandbox_id).toBe(ok[0]?.body.sandbox_id);
    });

    it('uses the legacy X-Track-ID only when X-Instruqt-Sandbox-ID is absent or blank', async () => {
      const legacy = nextStudent();
      const res = await allocate({ 'X-Instruqt-Sandbox-ID': '  ', 'X-Track-ID': legacy }).expect(
        201,
      );
      expect(res.body.allocated_to_track).toBe(legacy);
      const preferred = nextStudent();
      const both = await allocate({
        'X-Instruqt-Sandbox-ID': ` ${preferred} `,
        'X-Track-ID': 'ignored',
      }).expect(201);
      expect(both.body.allocated_to_track).toBe(preferred);
    });

    it('409 NO_SANDBOXES_AVAILABLE with Retry-After: 30 when the prefix has no stock', async () => {
      const res = await allocate({
        'X-Instruqt-Sandbox-ID': nextStudent(),
        'X-Sandbox-Name-Prefix': 'lab-gamma-',
      });
      const body = problem(res, 409, 'NO_SANDBOXES_AVAILABLE');
      expect(res.headers['retry-after']).toBe('30');
      expect(body.retry_after).toBe(30);
    });

    it('400 MISSING_SANDBOX_ID when no student id is sent', async () => {
      problem(await allocate({}), 400, 'MISSING_SANDBOX_ID');
      problem(
        await allocate({ 'X-Instruqt-Sandbox-ID': ' ', 'X-Track-ID': '' }),
        400,
        'MISSING_SANDBOX_ID',
      );
    });

    it('400 VALIDATION_ERROR naming each bad header', async () => {
      const res = await allocate({
        'X-Instruqt-Sandbox-ID': nextStudent(),
        'X-Sandbox-Name-Prefix': 'x'.repeat(129),
        'Idempotency-Key': 'caf\u00e9',
      });
      const body = problem(res, 400, 'VALIDATION_ERROR');
      expect(body.errors).toEqual([
        { field: 'X-Sandbox-Name-Prefix', message: 'must be at most 128 characters' },
        { field: 'Idempotency-Key', message: 'must contain printable ASCII characters only' },
      ]);
      const long = problem(
        await allocate({ 'X-Instruqt-Sandbox-ID': 's'.repeat(257) }),
        400,
        'VALIDATION_ERROR',
      );
      expect(long.errors[0].field).toBe('X-Instruqt-Sandbox-ID');
    });

    it('401 with WWW-Authenticate for a missing or invalid token, checked before headers', async () => {
      const missing = await allocate({}, null);
      problem(missing, 401, 'UNAUTHORIZED');
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="sandbox-broker"');
      const invalid = await allocate({ 'X-Instruqt-Sandbox-ID': nextStudent() }, 'wrong-token');
      problem(invalid, 401, 'UNAUTHORIZED');
      expect(invalid.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    });

    it('403 FORBIDDEN for an admin token on a track route', async () => {
      const res = await allocate({ 'X-Instruqt-Sandbox-ID': nextStudent() }, ADMIN_TOKEN);
      problem(res, 403, 'FORBIDDEN');
    });

    it('ignores the request body, whatever its content type', async () => {
      await allocate({
        'X-Instruqt-Sandbox-ID': nextStudent(),
        'Content-Type': 'application/x-www-form-urlencoded',
      })
        .send('a=1')
        .expect(201);
      await allocate({ 'X-Instruqt-Sandbox-ID': nextStudent() })
        .send({ anything: ['goes'] })
        .expect(201);
    });
  });

  describe('GET /v1/sandboxes/:id and POST /v1/sandboxes/:id/mark-for-deletion', () => {
    let owner: string;
    let sandboxId: string;

    beforeAll(async () => {
      owner = nextStudent();
      const res = await allocate({ 'X-Instruqt-Sandbox-ID': owner }).expect(201);
      sandboxId = res.body.sandbox_id;
    });

    it("200: the owner's view", async () => {
      const res = await getSandbox(sandboxId, owner).expect(200);
      expect(res.body).toMatchObject({ sandbox_id: sandboxId, status: 'allocated' });
    });

    it('403 NOT_SANDBOX_OWNER for another student, without naming the owner', async () => {
      for (const res of [
        await getSandbox(sandboxId, 'someone-else'),
        await release(sandboxId, 'someone-else'),
      ]) {
        const body = problem(res, 403, 'NOT_SANDBOX_OWNER');
        expect(res.text).not.toContain(owner);
        expect(body.detail).toContain(sandboxId);
      }
      // the sandbox is still allocated to its owner
      await getSandbox(sandboxId, owner).expect(200);
    });

    it('404 SANDBOX_NOT_FOUND for unknown ids; 400 for malformed ids', async () => {
      problem(await getSandbox('999999999', owner), 404, 'SANDBOX_NOT_FOUND');
      problem(await release('999999999', owner), 404, 'SANDBOX_NOT_FOUND');
      const bad = problem(await getSandbox('bad%20id', owner), 400, 'VALIDATION_ERROR');
      expect(bad.errors).toEqual([expect.objectContaining({ field: 'sandbox_id' })]);
    });

    it('401/403/400 on the read and release routes too', async () => {
      problem(await request(t.server).get(`/v1/sandboxes/${sandboxId}`), 401, 'UNAUTHORIZED');
      problem(await getSandbox(sandboxId, owner, ADMIN_TOKEN), 403, 'FORBIDDEN');
      problem(
        await request(t.server)
          .post(`/v1/sandboxes/${sandboxId}/mark-for-deletion`)
          .set('Authorization', `Bearer ${TRACK_TOKEN}`),
        400,
        'MISSING_SANDBOX_ID',
      );
    });

    it('any track token may act for a student (tokens are per lab, not per student)', async () => {
      await getSandbox(sandboxId, owner, OTHER_TRACK_TOKEN).expect(200);
    });
  });

  it("runs the lab scripts' flow: allocate → read → release → release again → read", async () => {
    const participant = nextStudent();
    const allocated = await request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('Content-Type', 'application/json')
      .set('X-Instruqt-Sandbox-ID', participant)
      .set('X-Instruqt-Track-ID', 'nios-x-lab')
      .set('X-Sandbox-Name-Prefix', 'lab-beta-')
      .expect(201);
    const id: string = allocated.body.sandbox_id;
    expect(allocated.body).toMatchObject({ track_name: 'nios-x-lab', status: 'allocated' });
    expect(allocated.body.name).toMatch(/^lab-beta-/);

    const read = await getSandbox(id, participant).expect(200);
    expect(read.body).toEqual(allocated.body);

    const released = await release(id, participant).expect(200);
    expect(released.body).toEqual({
      sandbox_id: id,
      status: 'pending_deletion',
      deletion_requested_at: expect.any(Number),
    });
    expect(released.body.deletion_requested_at).toBeGreaterThanOrEqual(allocated.body.allocated_at);

    const again = await release(id, participant).expect(200);
    expect(again.body).toEqual(released.body);

    const after = await getSandbox(id, participant).expect(200);
    expect(after.body).toMatchObject({
      sandbox_id: id,
      status: 'pending_deletion',
      allocated_to_track: participant,
      track_name: 'nios-x-lab',
    });

    // one-time use: the released sandbox is not handed out again
    const next = await allocate({
      'X-Instruqt-Sandbox-ID': nextStudent(),
      'X-Sandbox-Name-Prefix': 'lab-beta-',
    });
    if (next.status === 201) expect(next.body.sandbox_id).not.toBe(id);
    else problem(next, 409, 'NO_SANDBOXES_AVAILABLE');
  });

  it('echoes a safe X-Request-ID and answers unknown routes with a problem 404', async () => {
    const res = await request(t.server).get('/v1/nope').set('X-Request-ID', 'trace-abc.123');
    const body = problem(res, 404, 'NOT_FOUND');
    expect(body.request_id).toBe('trace-abc.123');
  });

  it('sets security headers on API responses', async () => {
    const res = await request(t.server).get('/healthz').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
