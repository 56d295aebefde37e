import request from 'supertest';
import { startTestWorker, type TestWorker } from '@broker/broker-worker/testing';
import { startSimulator, type RunningSimulator } from '@broker/csp-simulator';
import {
  SANDBOX_EVENT_LOG,
  SANDBOX_STORE,
  type SandboxEventLog,
  type SandboxStore,
} from '@broker/domain';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

const POOL = 6;

/**
 * Admin job triggers over the real AppModule and a real worker app on the same dynalite table:
 * the API records run requests, the worker picks them up and calls the CSP simulator over HTTP.
 */
describe('admin job triggers (e2e, API + worker, dynalite + CSP simulator)', () => {
  let sim: RunningSimulator;
  let t: ApiTestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, poolSize: POOL, serviceEvery: 0, withNoise: true });
    t = await startApiTestApp({ ADMIN_JOB_WAIT_SEC: '20' });
    worker = await startTestWorker({ endpoint: t.endpoint, tableName: t.tableName, sim });
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sim?.stop();
  });

  const admin = (path: string, token = ADMIN_TOKEN) =>
    request(t.server).post(path).set('Authorization', `Bearer ${token}`);
  const readRun = (location: string) =>
    request(t.server).get(location).set('Authorization', `Bearer ${ADMIN_TOKEN}`);

  function expectProblem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status, code });
  }

  async function untilFinished(location: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 100; i++) {
      const res = await readRun(location);
      expect(res.status).toBe(200);
      const body = res.body as Record<string, unknown>;
      if (body['status'] !== 'running' && body['status'] !== 'pending') return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run at ${location} did not finish`);
  }

  it('runs the sync and answers 200 with its counters; the pool is then allocatable', async () => {
    const res = await admin('/v1/admin/sync');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'completed',
      job: 'sync',
      triggered_by: 'ops',
      synced: POOL,
      marked_stale: 0,
      result: expect.objectContaining({ listed: POOL, inserted: POOL }) as unknown,
    });
    // The run is readable back by its id.
    const back = await readRun(`/v1/admin/jobs/runs/${String(res.body.run_id)}`);
    expect(back.body).toMatchObject({ status: 'succeeded', job: 'sync' });
    // Triggered runs count in the worker's metrics under its (and the original's) names; the
    // API counts the request only.
    const metrics = await worker.metrics();
    expect(metrics).toContain('broker_sync_total{outcome="success"} 1');
    expect(metrics).toContain(`broker_sync_sandboxes_inserted_total ${POOL}`);
    expect(metrics).toContain('broker_job_runs_total{job="sync",outcome="success"} 1');
    expect(metrics).toContain('broker_job_requests_total{job="sync",outcome="picked_up"} 1');
    const apiMetrics = (await request(t.server).get('/metrics')).text;
    expect(apiMetrics).toContain('broker_job_requests_total{job="sync",outcome="requested"} 1');
    expect(apiMetrics).not.toMatch(/^broker_(sync|job_runs|csp_breaker)/m);

    const allocated = await request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', 'student-sync-1');
    expect(allocated.status).toBe(201);
  });

  it('refuses track tokens and anonymous callers', async () => {
    expectProblem(await admin('/v1/admin/sync', TRACK_TOKEN), 403, 'FORBIDDEN');
    expectProblem(await request(t.server).post('/v1/admin/cleanup'), 401, 'UNAUTHORIZED');
  });

  it('answers 409 JOB_ALREADY_RUNNING while the worker holds the job lease', async () => {
    const store = t.app.get<SandboxStore>(SANDBOX_STORE);
    const leases = store.leases;
    const held = await leases.acquire('cleanup', 'worker-elsewhere:run-1', 30_000);
    expect(held).not.toBeNull();
    try {
      const res = await admin('/v1/admin/cleanup');
      expectProblem(res, 409, 'JOB_ALREADY_RUNNING');
      expect(res.headers['retry-after']).toBeDefined();
      // The refused trigger is still an admin action in the event log.
      const events = t.app.get<SandboxEventLog>(SANDBOX_EVENT_LOG);
      const recent = await events.list({ type: 'admin_action', limit: 5 });
      expect(recent.items[0]).toMatchObject({
        action: 'trigger_cleanup',
        actor: { kind: 'admin', id: 'ops' },
        requestId: res.headers['x-request-id'],
        details: { outcome: 'already_running' },
      });
    } finally {
      await leases.release(held!);
    }
  });

  it('answers 202 for a cleanup that outlasts the request; the outcome is read back by run id', async () => {
    const student = 'student-cleanup-1';
    const allocated = await request(t.server)
      .post('/v1/allocate')
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', student);
    expect(allocated.status).toBe(201);
    const sandboxId = String(allocated.body.sandbox_id);
    const externalId = String(allocated.body.external_id);
    await request(t.server)
      .post(`/v1/sandboxes/${sandboxId}/mark-for-deletion`)
      .set('Authorization', `Bearer ${TRACK_TOKEN}`)
      .set('X-Instruqt-Sandbox-ID', student)
      .expect(200);
    // The provider's delete is slow, and the caller asks not to wait at all.
    sim.faults.add({ operation: 'delete', latencyMs: 1_000, count: 1 });

    const res = await admin('/v1/admin/cleanup?wait=0');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', job: 'cleanup' });
    expect(res.body.requested_at).toEqual(expect.any(String));
    expect(res.headers['location']).toBe(res.body.location);
    expect(String(res.body.location)).toMatch(/^\/v1\/admin\/jobs\/runs\/[0-9a-f-]{36}$/);
    // While it is pending or running, a second trigger is refused.
    expectProblem(await admin('/v1/admin/cleanup?wait=0'), 409, 'JOB_ALREADY_RUNNING');

    const outcome = await untilFinished(String(res.body.location));
    expect(outcome).toMatchObject({ status: 'succeeded', deleted: 1, failed: 0 });
    expect(sim.store.get(externalId.split('/').pop()!)).toBeUndefined();
    expect((await t.repository.get(sandboxId))?.status).toBe('deleted');
  });

  it('answers 502 JOB_FAILED when the provider fails the sync, and changes nothing', async () => {
    const before = await t.repository.countByStatus();
    sim.faults.add({ operation: 'list', status: 500, count: 1 });
    expectProblem(await admin('/v1/admin/sync'), 502, 'JOB_FAILED');
    expect(await t.repository.countByStatus()).toEqual(before);
  });

  it('validates the wait parameter', async () => {
    for (const wait of ['-1', '51', 'soon', '1.5']) {
      expectProblem(await admin(`/v1/admin/sync?wait=${wait}`), 400, 'VALIDATION_ERROR');
    }
  });

  it('validates run ids: 400 for a malformed id, 404 for an unknown one', async () => {
    expectProblem(await readRun('/v1/admin/jobs/runs/not-a-uuid'), 400, 'VALIDATION_ERROR');
    expectProblem(
      await readRun('/v1/admin/jobs/runs/7b0c2f0e-8d1a-4c3e-9f55-2a6f3d1e9b10'),
      404,
      'JOB_RUN_NOT_FOUND',
    );
  });
});
