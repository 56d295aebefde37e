import { SandboxStatus } from '@broker/domain';
import {
  aProviderPool,
  FakeSandboxProvider,
  createInMemoryStore,
  FixedClock,
} from '@broker/domain/testing';
import { loadWorkerConfig } from '../config/worker-config';
import { createWorkerApp } from '../worker-app';
import { JobScheduler } from './job-scheduler.service';

async function workerWith(env: Record<string, string>) {
  const clock = new FixedClock(Date.now());
  const config = loadWorkerConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  const store = createInMemoryStore({ clock, lease: config.persistence.lease });
  const pool = store.sandboxes;
  const accounts = aProviderPool(3, 'lab-sched-');
  const provider = new FakeSandboxProvider(accounts);
  const app = await createWorkerApp({ config, store, provider, clock });
  await app.init();
  return { app, pool, provider };
}

describe('JobScheduler', () => {
  it('runs enabled jobs at start, chained, and stops scheduling on shutdown', async () => {
    const { app, pool, provider } = await workerWith({
      SYNC_INTERVAL_SEC: '1',
      CLEANUP_INTERVAL_SEC: '0',
      EXPIRY_INTERVAL_SEC: '0',
      STALE_PURGE_INTERVAL_SEC: '0',
      CLAIM_REPAIR_INTERVAL_SEC: '0',
      POOL_GAUGES_INTERVAL_SEC: '0',
    });
    const deadline = Date.now() + 5_000;
    while ((await pool.countByStatus()).available < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await pool.countByStatus()).available).toBe(3);
    expect(provider.deleteCalls).toHaveLength(0);
    await app.close();
  });

  it('abandons in-flight deletions at shutdown without counting an attempt', async () => {
    const { app, pool, provider } = await workerWith({
      JOBS_ENABLED: 'false',
      SHUTDOWN_GRACE_SEC: '0',
    });
    const scheduler = app.get(JobScheduler);
    await scheduler.runNow('sync');
    const { sandbox } = await pool.allocate({ studentId: 's', idempotencyKey: 's' });
    await pool.release(sandbox.sandboxId, 's');
    let calls = 0;
    provider.deleteSandbox = () => {
      calls += 1;
      return new Promise(() => undefined); // the provider never answers
    };
    const run = scheduler.runNow('cleanup');
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await pool.get(sandbox.sandboxId))?.status).toBe(SandboxStatus.Deleting);

    await app.close();
    expect(await run).toMatchObject({ outcome: 'success', result: { stoppedBy: 'shutdown' } });
    expect(await pool.get(sandbox.sandboxId)).toMatchObject({
      status: SandboxStatus.PendingDeletion,
      deletionAttempts: 0,
    });
  });
});
