// Entry point `@broker/broker-worker/testing`: the real worker app for other apps' e2e tests
// (the API's admin-trigger tests need a worker to pick their run requests up).
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RunningSimulator } from '@broker/csp-simulator';
import { HttpCspClient } from '@broker/csp-client';
import { systemClock } from '@broker/domain';
import { createDynamoStore } from '@broker/dynamo-repo';
import { loadWorkerConfig } from '../../src/config/worker-config';
import { RunRequestPoller } from '../../src/jobs/run-request-poller.service';
import { createWorkerApp } from '../../src/worker-app';

export interface TestWorker {
  readonly app: NestFastifyApplication;
  readonly poller: RunRequestPoller;
  /** The worker's /metrics text. */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The worker as main.ts builds it (DynamoDB storage, the HTTP CSP client, its own breaker) on an
 * existing table, talking to the simulator; no schedule, run requests polled every 100 ms.
 */
export async function startTestWorker(options: {
  readonly endpoint: string;
  readonly tableName: string;
  readonly sim: RunningSimulator;
  readonly env?: Record<string, string>;
}): Promise<TestWorker> {
  const config = loadWorkerConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    DDB_ENDPOINT_URL: options.endpoint,
    DDB_TABLE_NAME: options.tableName,
    CSP_BASE_URL: options.sim.cspBaseUrl,
    CSP_API_TOKEN: options.sim.config.cspToken,
    CSP_TIMEOUT_READ_SEC: '5',
    CLEANUP_RATE_PER_SEC: '50',
    JOB_REQUEST_POLL_MS: '100',
    SHUTDOWN_GRACE_SEC: '2',
    ...options.env,
  });
  const store = createDynamoStore(config.persistence, { clock: systemClock });
  const provider = new HttpCspClient(config.csp);
  const app = await createWorkerApp({ config, store, provider, clock: systemClock });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  return {
    app,
    poller: app.get(RunRequestPoller),
    metrics: async () => (await fastify.inject({ method: 'GET', url: '/metrics' })).body,
    close: () => app.close(),
  };
}
