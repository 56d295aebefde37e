import { systemClock } from '@broker/domain';
import { createDocumentClient, createDynamoStore, type DynamoStore } from '@broker/dynamo-repo';
import { ReservationJob } from '@broker/jobs';
import request from 'supertest';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

const HOUR = 3600;
const ABORT = new AbortController();

describe('/v1/admin/reservations and /v1/admin/capacity (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let worker: DynamoStore;
  let job: ReservationJob;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    // Cache 0: a class member right after the earmarking sees the open reservation (with the
    // default 5 s, the first seconds' members may be served from the pool; see the README).
    t = await startApiTestApp({ RESERVATION_LEAD_MINUTES: '60', RESERVATION_CACHE_MS: '0' });
    await t.seed(10, 'cls-');
    await t.seed(3, 'solo-');
    // The worker's side: its own store on the same table, running the reservation job.
    worker = createDynamoStore(
      { tableName: t.tableName, region: 'us-east-1', lease: t.config.persistence.lease },
      { client: createDocumentClient({ region: 'us-east-1', endpoint: t.endpoint }) },
    );
    job = new ReservationJob({ reservations: worker.reservationLifecycle, clock: systemClock });
  });

  afterAll(async () => {
    await worker?.dispose();
    worker?.client.destroy();
    await t?.close();
  });

  const admin = (method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
    request(t.server)[method](path).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
  const runJob = () =>
    job.run({ runId: 'e2e', owner: 'e2e', stop: ABORT.signal, abandon: ABORT.signal });
  const allocate = (student: string, track: string) =>
    request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', student)
      .set('X-Instruqt-Track-ID', track)
      .set('X-Sandbox-Name-Prefix', 'cls-');

  function problem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code, request_id: res.headers['x-request-id'] });
    return body;
  }

  it('books a class, earmarks it, serves its students first, and cancels it', async () => {
    const startsAt = now() + 600; // inside the 60-minute lead: earmarking is due
    const created = await admin('post', '/v1/admin/reservations')
      .send({
        track: 'class-lab',
        count: 3,
        starts_at: startsAt,
        ends_at: startsAt + 2 * HOUR,
        name_prefix: 'cls-',
      })
      .expect(201);
    const id = created.body.reservation_id as string;
    expect(created.body).toMatchObject({
      track: 'class-lab',
      count: 3,
      status: 'confirmed',
      name_prefix: 'cls-',
      earmark_at: startsAt - HOUR,
      release_at: startsAt + 1800,
      release_unclaimed_after_minutes: 30,
      held: 0,
      allocated: 0,
      remaining: 3,
      created_by: 'ops',
    });

    expect(await runJob()).toMatchObject({ earmarked: 3, short: 0 });
    const earmarked = await admin('get', '/v1/admin/sandboxes?status=reserved').expect(200);
    const earmarkedIds = new Set(
      (earmarked.body.sandboxes as { sandbox_id: string; reservation_id: string }[]).map((s) => {
        expect(s.reservation_id).toBe(id);
        return s.sandbox_id;
      }),
    );
    expect(earmarkedIds.size).toBe(3);

    const outsider = await allocate('outsider-1', 'self-paced').expect(201);
    expect(earmarkedIds.has(outsider.body.sandbox_id)).toBe(false);
    const member = await allocate('member-1', 'class-lab').expect(201);
    expect(earmarkedIds.has(member.body.sandbox_id)).toBe(true);
    // A repeat is the same sandbox (200), and counts once.
    await allocate('member-1', 'class-lab').expect(200);

    const read = await admin('get', `/v1/admin/reservations/${id}`).expect(200);
    expect(read.body).toMatchObject({ held: 2, allocated: 1, remaining: 2 });
    const listed = await admin('get', '/v1/admin/reservations?track=class-lab').expect(200);
    expect(
      listed.body.reservations.map((r: { reservation_id: string }) => r.reservation_id),
    ).toContain(id);

    const cancelled = await admin('delete', `/v1/admin/reservations/${id}`).expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      held: 0,
      allocated: 1,
      remaining: 0,
    });
    await admin('post', `/v1/admin/reservations/${id}/cancel`).expect(200);
    problem(
      await admin('patch', `/v1/admin/reservations/${id}`).send({ count: 4 }),
      409,
      'RESERVATION_NOT_ACTIVE',
    );
    // The job clears the cancelled hold; the class member keeps the sandbox.
    expect(await runJob()).toMatchObject({ ended: 1 });
    const stats = await admin('get', '/v1/admin/stats').expect(200);
    expect(stats.body.by_status).toMatchObject({ reserved: 0, allocated: 2 });

    const events = await admin('get', '/v1/admin/events?type=admin_action&limit=50').expect(200);
    const actions = (events.body.events as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['reservation_created', 'reservation_cancelled']),
    );
  });

  it('gives back exactly the unclaimed earmarked sandboxes at release time (the real job)', async () => {
    await t.seed(6, 'rel-');
    const startsAt = now() + 600;
    const created = await admin('post', '/v1/admin/reservations')
      .send({
        track: 'release-lab',
        count: 4,
        starts_at: startsAt,
        ends_at: startsAt + 2 * HOUR,
        name_prefix: 'rel-',
        release_unclaimed_after_minutes: 15,
      })
      .expect(201);
    const id = created.body.reservation_id as string;
    expect(created.body.release_at).toBe(startsAt + 900);
    expect(await runJob()).toMatchObject({ earmarked: 4 });
    const members = await Promise.all(
      ['r-1', 'r-2', 'r-3'].map((s) =>
        request(t.server)
          .post('/v1/allocate')
          .set('Authorization', `Bearer ${TRACK_TOKEN}`)
          .set('X-Instruqt-Sandbox-ID', s)
          .set('X-Instruqt-Track-ID', 'release-lab')
          .set('X-Sandbox-Name-Prefix', 'rel-')
          .expect(201),
      ),
    );
    const taken = new Set(members.map((m) => m.body.sandbox_id as string));
    const unclaimed = await worker.reservationLifecycle.earmarked(id, 10);
    expect(unclaimed).toHaveLength(1);
    expect(taken.has(unclaimed[0]!)).toBe(false);
    // The worker's job at release time (its clock moved past starts_at + 15 min).
    const late = new ReservationJob({
      reservations: worker.reservationLifecycle,
      clock: { nowMs: () => (startsAt + 900) * 1000 },
    });
    expect(
      await late.run({ runId: 'late', owner: 'late', stop: ABORT.signal, abandon: ABORT.signal }),
    ).toMatchObject({ released: 1, earmarked: 0 });
    expect((await worker.sandboxes.get(unclaimed[0]!))?.status).toBe('available');
    for (const sandboxId of taken) {
      expect((await worker.sandboxes.get(sandboxId))?.status).toBe('allocated');
    }
    const read = await admin('get', `/v1/admin/reservations/${id}`).expect(200);
    expect(read.body).toMatchObject({ status: 'confirmed', held: 0, allocated: 3, remaining: 1 });
  });

  it('refuses a booking past the stock with the shortfall, and grows only within it', async () => {
    const startsAt = now() + 3 * HOUR;
    const body = {
      track: 'big-class',
      starts_at: startsAt,
      ends_at: startsAt + HOUR,
      name_prefix: 'solo-',
    };
    const refused = problem(
      await admin('post', '/v1/admin/reservations').send({ ...body, count: 5 }),
      409,
      'INSUFFICIENT_CAPACITY',
    );
    expect(refused).toMatchObject({ shortfall: 2, available: 3, committed: 0, requested: 5 });
    const ok = await admin('post', '/v1/admin/reservations')
      .send({ ...body, count: 2 })
      .expect(201);
    const id = ok.body.reservation_id as string;
    await admin('patch', `/v1/admin/reservations/${id}`).send({ count: 3 }).expect(200);
    const grow = problem(
      await admin('patch', `/v1/admin/reservations/${id}`).send({ count: 4 }),
      409,
      'INSUFFICIENT_CAPACITY',
    );
    expect(grow).toMatchObject({ shortfall: 1 });
    const read = await admin('get', `/v1/admin/reservations/${id}`).expect(200);
    expect(read.body).toMatchObject({ count: 3, held: 0 });

    const capacity = await admin('get', '/v1/admin/capacity?prefix=solo-').expect(200);
    expect(capacity.body).toMatchObject({
      name_prefix: 'solo-',
      available: 3,
      reserved: 0,
      held: 3,
      shortfall: 0,
    });
    expect(capacity.body.windows).toEqual([
      expect.objectContaining({
        reservation_id: id,
        track: 'big-class',
        outstanding: 3,
        shortfall: 0,
      }),
    ]);
    // Two sandboxes leave the stock after booking: the forecast says what to create.
    for (const student of ['s-1', 's-2']) {
      await request(t.server)
        .post('/v1/allocate')
        .set('Authorization', `Bearer ${TRACK_TOKEN}`)
        .set('X-Instruqt-Sandbox-ID', student)
        .set('X-Sandbox-Name-Prefix', 'solo-')
        .expect(201);
    }
    const short = await admin('get', '/v1/admin/capacity?prefix=solo-').expect(200);
    expect(short.body).toMatchObject({ available: 1, shortfall: 2 });
    expect(short.body.windows[0].summary).toMatch(/^short by 2 for track big-class at \d{4}-/);
    // A horizon before the booking starts leaves it out.
    const early = await admin('get', `/v1/admin/capacity?prefix=solo-&at=${startsAt - 1}`).expect(
      200,
    );
    expect(early.body.windows).toEqual([]);
  });

  it('answers unknown and malformed reservations with stable problems', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    problem(await admin('get', `/v1/admin/reservations/${unknown}`), 404, 'RESERVATION_NOT_FOUND');
    problem(
      await admin('patch', `/v1/admin/reservations/${unknown}`).send({ count: 2 }),
      404,
      'RESERVATION_NOT_FOUND',
    );
    problem(
      await admin('delete', `/v1/admin/reservations/${unknown}`),
      404,
      'RESERVATION_NOT_FOUND',
    );
    problem(await admin('get', '/v1/admin/reservations/not%20an%20id'), 400, 'VALIDATION_ERROR');
    problem(
      await admin('patch', `/v1/admin/reservations/${unknown}`).send({ count: 0 }),
      400,
      'VALIDATION_ERROR',
    );
    const track = await request(t.server)
      .get('/v1/admin/reservations')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`);
    problem(track, 403, 'FORBIDDEN');
  });
});
