import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { startTestWorker, type TestWorker } from '@broker/broker-worker/testing';
import { startSimulator, type RunningSimulator } from '@broker/csp-simulator';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp } from './testing/api-test-app';

/**
 * Run requests between the API and the worker (dynalite, CSP simulator over HTTP): a request is
 * pending until a worker claims it, at most one per job; one no worker picks up in time expires.
 */
describe('admin run requests (e2e, API + worker)', () => {
  let sim: RunningSimulator;
  let t: ApiTestApp;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, poolSize: 4, serviceEvery: 0, withNoise: false });
    t = await startApiTestApp({ ADMIN_JOB_WAIT_SEC: '0', JOB_REQUEST_PICKUP_TIMEOUT_SEC: '1' });
  });

  afterAll(async () => {
    await t?.close();
    await sim?.stop();
  });

  const admin = (path: string) =>
    request(t.server).post(path).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
  const readRun = (location: string) =>
    request(t.server).get(location).set('Authorization', `Bearer ${ADMIN_TOKEN}`);

  /** Re-reads a run until `done` holds; bounded (50 reads, 100 ms apart). */
  async function readUntil(location: string, done: (status: string) => boolean) {
    for (let i = 0; i < 50; i++) {
      const res = await readRun(location);
      expect(res.status).toBe(200);
      if (done(String(res.body.status))) return res.body as Record<string, unknown>;
      await sleep(100);
    }
    throw new Error(`run at ${location} never reached the expected status`);
  }

  it('with no worker: pending, a second request is refused, then it reads expired', async () => {
    const first = await admin('/v1/admin/sync');
    expect(first.status).toBe(202);
    const location = String(first.headers['location']);
    expect((await readRun(location)).body).toMatchObject({
      status: 'pending',
      job: 'sync',
      pickup_deadline: expect.any(String),
    });

    const second = await admin('/v1/admin/sync');
    expect(second.status).toBe(409);
    expect(JSON.parse(second.text)).toMatchObject({ code: 'JOB_ALREADY_RUNNING' });
    expect(second.headers['retry-after']).toBeDefined();

    const expired = await readUntil(location, (status) => status !== 'pending');
    expect(expired).toMatchObject({ status: 'expired', job: 'sync' });
    const metrics = (await request(t.server).get('/metrics')).text;
    expect(metrics).toContain('broker_job_requests_total{job="sync",outcome="expired"} 1');
    expect(metrics).toContain('broker_job_requests_total{job="sync",outcome="refused"} 1');
  });

  it('answers 503 JOB_NOT_PICKED_UP when the wait outlasts the pickup timeout without a worker', async () => {
    const res = await admin('/v1/admin/cleanup?wait=3');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'JOB_NOT_PICKED_UP' });
    expect(res.headers['retry-after']).toBeDefined();
  });

  describe('with a worker running', () => {
    let worker: TestWorker;
    beforeAll(async () => {
      worker = await startTestWorker({ endpoint: t.endpoint, tableName: t.tableName, sim });
    });
    afterAll(() => worker?.close());

    it('answers 200 with the counters when the worker finishes within the wait', async () => {
      const res = await admin('/v1/admin/sync?wait=20');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'completed',
        job: 'sync',
        synced: 4,
        result: expect.objectContaining({ listed: 4, inserted: 4 }) as unknown,
      });
    });

    it('answers 202 + Location at once; GET then shows the worker ran it', async () => {
      const res = await admin('/v1/admin/sync?wait=0');
      expect(res.status).toBe(202);
      const location = String(res.headers['location']);
      expect(location).toMatch(/^\/v1\/admin\/jobs\/runs\/[0-9a-f-]{36}$/);
      const done = await readUntil(location, (s) => s !== 'pending' && s !== 'running');
      expect(done).toMatchObject({ status: 'succeeded', job: 'sync', triggered_by: 'ops' });
      const metrics = await worker.metrics();
      expect(metrics).toContain('broker_job_requests_total{job="sync",outcome="picked_up"} 2');
      expect(metrics).toMatch(/^broker_sync_total\{outcome="success"\} 2$/m);
    });
  });
});
