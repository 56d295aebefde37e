import request from 'supertest';
import { systemClock } from '@broker/domain';
import { createDocumentClient, migrateOriginalTable } from '@broker/dynamo-repo';
import { createOriginalLayoutTable } from '@broker/dynamo-repo/testing';
import { type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

/** A sandbox allocated in the original broker, migrated, then used through this API. */
describe('migrated allocation through the API (e2e, dynalite)', () => {
  let t: ApiTestApp;
  const allocatedAt = Math.floor(Date.now() / 1000) - 600;
  const account = 'identity/accounts/5e0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

  beforeAll(async () => {
    t = await startApiTestApp();
    const client = createDocumentClient({ region: 'us-east-1', endpoint: t.endpoint });
    const source = `original-${t.tableName}`;
    await createOriginalLayoutTable(client, source, [
      {
        PK: 'SBX#2026839',
        SK: 'META',
        sandbox_id: '2026839',
        name: 'lab-adventure-0087',
        external_id: account,
        status: 'allocated',
        allocated_to_track: 'old-student',
        idempotency_key: 'old-student',
        allocated_at: allocatedAt,
        lab_duration_hours: 4,
        deletion_retry_count: 0,
        track_name: 'dns-lab',
        sfdc_account_id: '001SAND0087',
      },
    ]);
    const report = await migrateOriginalTable({
      client,
      sourceTable: source,
      targetTable: t.tableName,
      clock: systemClock,
      lease: t.config.persistence.lease,
    });
    expect(report.actions.inserted).toBe(1);
    client.destroy();
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = (ref: string, student: string) =>
    request(t.server)
      .get(`/v1/sandboxes/${ref}`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', student);

  it('is readable by its owner (by broker id and by account id), with the original clocks', async () => {
    for (const ref of ['2026839', encodeURIComponent(account)]) {
      const res = await get(ref, 'old-student').expect(200);
      expect(res.body).toMatchObject({
        sandbox_id: '2026839',
        name: 'lab-adventure-0087',
        external_id: account,
        status: 'allocated',
        allocated_at: allocatedAt,
        expires_at: allocatedAt + 4 * 3600,
        sfdc_account_id: '001SAND0087',
      });
    }
  });

  it('is not readable by another student', async () => {
    const res = await get('2026839', 'someone-else');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_SANDBOX_OWNER');
  });

  it("is returned by the owner's repeat allocation and released by the account uuid", async () => {
    const again = await request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', 'old-student')
      .expect(200);
    expect(again.body.sandbox_id).toBe('2026839');
    const uuid = account.slice('identity/accounts/'.length);
    const released = await request(t.server)
      .post(`/v1/sandboxes/${uuid}/mark-for-deletion`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', 'old-student')
      .expect(200);
    expect(released.body).toMatchObject({ sandbox_id: '2026839', status: 'pending_deletion' });
  });
});
