import request from 'supertest';
import { SANDBOX_STORE, type SandboxStore } from '@broker/domain';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp } from './testing/api-test-app';

/** Issue #12: what the last sync found wrong at the provider is visible in the admin stats. */
describe('admin stats: provider discrepancies (e2e, dynalite)', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await startApiTestApp({ ADMIN_STATS_CACHE_SEC: '0' });
    await t.seed(3);
  });
  afterAll(() => t?.close());

  const stats = () =>
    request(t.server).get('/v1/admin/stats').set('Authorization', `Bearer ${ADMIN_TOKEN}`);

  it('is null before a complete sync, then shows its findings', async () => {
    expect((await stats()).body).toMatchObject({ total: 3, provider_discrepancies: null });
    const atMs = Date.UTC(2026, 10, 30, 4, 0, 0);
    await t.app
      .get<SandboxStore>(SANDBOX_STORE)
      .lifecycle.recordSyncDiscrepancies({ tombstonesStillListed: 2, allocatedVanished: 1, atMs });
    expect((await stats()).body.provider_discrepancies).toEqual({
      tombstones_still_listed: 2,
      allocated_vanished: 1,
      as_of: new Date(atMs).toISOString(),
    });
  });
});
