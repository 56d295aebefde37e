import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SANDBOX_STORE, SandboxStatus, type SandboxStore } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
import type { CleanupResult } from '@broker/jobs';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { createWorkerApp } from '../src/worker-app';
import {
  cspClient,
  dynamoStorage,
  simOptions,
  startDynalite,
  startSimulator,
  testConfig,
  type RunningSimulator,
} from './testing/worker-harness';

let engine: Awaited<ReturnType<typeof startDynalite>>;
let sim: RunningSimulator;
let app: NestFastifyApplication;

beforeAll(async () => {
  [engine, sim] = await Promise.all([
    startDynalite(),
    startSimulator(simOptions({ poolSize: 10 })),
  ]);
  const clock = new FixedClock(Date.now());
  const storage = await dynamoStorage(engine.endpoint, clock);
  const provider = cspClient(sim, { breaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
  app = await createWorkerApp({
    config: testConfig(sim, { CLEANUP_CONCURRENCY: '1' }),
    store: storage,
    provider,
    clock,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});
afterAll(async () => {
  await app?.close();
  await Promise.all([engine?.stop(), sim?.stop()]);
});

function get(url: string) {
  return app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
}

describe('broker-worker HTTP surface and breaker handling', () => {
  it('is live and ready while DynamoDB answers and the breaker is closed', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      info: { dynamodb: { status: 'up' }, csp: { status: 'up', breaker: 'closed' } },
    });
  });

  it('exposes job metrics and pool gauges', async () => {
    const scheduler = app.get(JobScheduler);
    expect((await scheduler.runNow('sync')).outcome).toBe('success');
    expect((await scheduler.runNow('pool-gauges')).outcome).toBe('success');
    const res = await get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/^broker_pool_available 10$/m);
    expect(res.body).toMatch(/^broker_sync_total\{outcome="success"\} 1$/m);
    expect(res.body).toMatch(/^broker_sync_sandboxes_synced_total 10$/m);
    expect(res.body).toMatch(/^broker_job_runs_total\{job="sync",outcome="success"\} 1$/m);
    expect(res.body).toMatch(/^broker_job_last_success_timestamp_seconds\{job="sync"\} \d+/m);
    expect(res.body).toMatch(
      /^broker_provider_breaker_state\{upstream="csp",operation="delete"\} 0$/m,
    );
    expect(res.body).toMatch(
      /^broker_provider_breaker_state\{upstream="csp",operation="list"\} 0$/m,
    );
  });

  it('stops cleanup at an open breaker, leaves the rest pending uncounted, and turns unready', async () => {
    const scheduler = app.get(JobScheduler);
    const pool = app.get<SandboxStore>(SANDBOX_STORE).sandboxes;
    const released: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const { sandbox } = await pool.allocate({
        studentId: `brk-${i}`,
        idempotencyKey: `brk-${i}`,
      });
      await pool.release(sandbox.sandboxId, `brk-${i}`);
      released.push(sandbox.sandboxId);
    }
    sim.faults.add({ operation: 'delete', status: 503 });

    const report = await scheduler.runNow('cleanup');
    expect(report.outcome).toBe('success');
    const result = (report as { result: CleanupResult }).result;
    expect(result.stoppedBy).toBe('breaker');
    expect(result.attempts).toMatchObject({ deleted: 0, retry_scheduled: 2, quarantined: 0 });
    const rows = await Promise.all(released.map((id) => pool.get(id)));
    const failed = rows.filter((r) => r?.status === SandboxStatus.DeletionFailed);
    const pending = rows.filter((r) => r?.status === SandboxStatus.PendingDeletion);
    expect(failed).toHaveLength(2);
    expect(pending).toHaveLength(4);
    expect(pending.every((r) => r?.deletionAttempts === 0)).toBe(true);

    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ error: { csp: { status: 'down', breaker: 'open' } } });
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(
      /^broker_provider_breaker_state\{upstream="csp",operation="delete"\} 2$/m,
    );
    // The delete outage does not blind the sync: the list breaker stays closed.
    expect(metrics).toMatch(
      /^broker_provider_breaker_state\{upstream="csp",operation="list"\} 0$/m,
    );
    expect(metrics).toMatch(/^broker_cleanup_total\{outcome="stopped"\} 1$/m);
    expect(metrics).toMatch(/^broker_cleanup_failed_total 2$/m);
    expect(metrics).toMatch(/^broker_cleanup_attempts_total\{result="retry_scheduled"\} 2$/m);
  });
});
