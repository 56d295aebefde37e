// The real stack for the console's browser tests, on loopback: dynalite, the CSP simulator over
// HTTP, a worker (runs the admin run requests) and the API serving the built console.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ADMIN_TOKEN,
  type ApiTestApp,
  startApiTestApp,
  TRACK_TOKEN,
} from '@broker/broker-api/testing';
import { startTestWorker, type TestWorker } from '@broker/broker-worker/testing';
import { type RunningSimulator, startSimulator } from '@broker/csp-simulator';

export { ADMIN_TOKEN, TRACK_TOKEN };
export const VIEWER_TOKEN = 'e2e-viewer-token-0001';
export const CONSOLE_DIST = join(__dirname, '..', '..', 'dist', 'index.html');

export interface ConsoleStack {
  readonly api: ApiTestApp;
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** A call to the API as a bearer (admin, viewer or track token). */
  call(
    method: string,
    path: string,
    token: string,
    init?: { headers?: Record<string, string>; body?: unknown },
  ): Promise<Response>;
  /** Triggers a job as the admin and waits (bounded) until its run ends; returns the run. */
  runJob(job: 'sync' | 'cleanup'): Promise<Record<string, unknown>>;
  /**
   * One run of a worker job that has no admin trigger (e.g. `reservations`, which earmarks the
   * seats of classes starting within the lead time), straight through the worker's JobSet.
   */
  runWorkerJob(job: 'reservations' | 'quota-repair'): Promise<void>;
  close(): Promise<void>;
}

/** Starts everything; the simulator lists `poolSize` accounts lab-demo-0001…, synced once. */
export async function startConsoleStack(poolSize: number): Promise<ConsoleStack> {
  if (!existsSync(CONSOLE_DIST)) {
    throw new Error(
      `${CONSOLE_DIST} is missing: build the console first (npx nx build broker-console).`,
    );
  }
  const sim: RunningSimulator = await startSimulator({
    port: 0,
    poolSize,
    serviceEvery: 0,
    withNoise: false,
  });
  let api: ApiTestApp | undefined;
  let worker: TestWorker | undefined;
  try {
    api = await startApiTestApp({
      BROKER_VIEWER_TOKENS: `instructor:${VIEWER_TOKEN}`,
      // Triggers answer 202 at once (the page then polls the run), counts are never cached.
      ADMIN_JOB_WAIT_SEC: '0',
      ADMIN_STATS_CACHE_SEC: '0',
    });
    worker = await startTestWorker({ endpoint: api.endpoint, tableName: api.tableName, sim });
    await api.app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    const call: ConsoleStack['call'] = (method, path, token, init = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(15_000),
      });
    const runJob = async (job: 'sync' | 'cleanup') => {
      const started = await call('POST', `/v1/admin/${job}`, ADMIN_TOKEN);
      const run = (await started.json()) as Record<string, unknown>;
      if (started.status !== 202 && started.status !== 200)
        throw new Error(`${job}: ${started.status} ${JSON.stringify(run)}`);
      for (let i = 0; i < 100; i++) {
        const read = (await (
          await call('GET', `/v1/admin/jobs/runs/${String(run['run_id'])}`, ADMIN_TOKEN)
        ).json()) as Record<string, unknown>;
        if (!['accepted', 'pending', 'running'].includes(String(read['status']))) return read;
        await sleep(100);
      }
      throw new Error(`${job} run ${String(run['run_id'])} did not end within 10 s`);
    };
    const jobs = worker.app.get<{ runOnce(name: string): Promise<unknown> }>(
      Symbol.for('broker.WorkerJobs'),
    );
    const stack: ConsoleStack = {
      api,
      baseUrl,
      call,
      runJob,
      runWorkerJob: async (job) => {
        await jobs.runOnce(job);
      },
      close: async () => {
        await worker?.close();
        await api?.close();
        await sim.stop();
      },
    };
    return stack;
  } catch (error) {
    await worker?.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    await sim.stop();
    throw error;
  }
}
