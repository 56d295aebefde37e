import request from 'supertest';
import { type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

describe('per-track lease (e2e, dynalite)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({ TRACK_LEASE_MINUTES: 'short-lab:30,week-lab:10080' });
    await t.seed(4, 'lab-');
  });

  afterAll(async () => {
    await t?.close();
  });

  const allocate = (studentId: string, track?: string) => {
    const req = request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', studentId);
    return track === undefined ? req : req.set('X-Instruqt-Track-ID', track);
  };

  it('a track with 30 minutes gets expires_at = allocated_at + 1800, stored on the row', async () => {
    const res = await allocate('lease-s1', 'short-lab').expect(201);
    expect(res.body.expires_at).toBe(res.body.allocated_at + 1800);
    const row = await t.repository.get(res.body.sandbox_id);
    expect(row?.expiresAt).toBe(res.body.allocated_at + 1800);
    // A repeat returns the same lease.
    const repeat = await allocate('lease-s1', 'short-lab').expect(200);
    expect(repeat.body.expires_at).toBe(res.body.expires_at);
  });

  it('other tracks and no track get the global LAB_DURATION_HOURS lease', async () => {
    const other = await allocate('lease-s2', 'Short-lab').expect(201);
    expect(other.body.expires_at).toBe(other.body.allocated_at + 48 * 3600);
    const none = await allocate('lease-s3').expect(201);
    expect(none.body.expires_at).toBe(none.body.allocated_at + 48 * 3600);
    const week = await allocate('lease-s4', 'week-lab').expect(201);
    expect(week.body.expires_at).toBe(week.body.allocated_at + 7 * 24 * 3600);
  });
});
