// The simulator is an app; tests (only) use it as a real HTTP provider on 127.0.0.1.
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '@broker/csp-simulator';
import { HttpCspClient, type CspClientConfig } from '@broker/csp-client';
import type { Clock, LeasePolicy } from '@broker/domain';
import {
  createDynamoStore,
  type DocumentClientConfig,
  type DynamoStore,
} from '@broker/dynamo-repo';
import { createTestTable, startDynalite } from '@broker/dynamo-repo/testing';
import type { JobLogger, JobStorage } from '@broker/jobs';
import { silentJobLogger } from '@broker/jobs';
import { loadWorkerConfig, type WorkerConfig } from '../../src/config/worker-config';
import { WorkerJobs } from '../../src/jobs/worker-jobs';
import { WorkerMetrics } from '../../src/metrics/worker-metrics';

export { startDynalite, startSimulator, type RunningSimulator };

export const LEASE: LeasePolicy = { leaseSeconds: 3600, graceSeconds: 600 };

/** Worker settings for tests: jobs not scheduled (driven by runOnce), quick back-off. */
export function testConfig(sim: RunningSimulator, env: Record<string, string> = {}): WorkerConfig {
  return loadWorkerConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    CSP_BASE_URL: sim.cspBaseUrl,
    CSP_API_TOKEN: sim.config.cspToken,
    LAB_DURATION_HOURS: '1',
    GRACE_PERIOD_MINUTES: '10',
    CLEANUP_CONCURRENCY: '4',
    CLEANUP_RATE_PER_SEC: '50',
    CLEANUP_MAX_ATTEMPTS: '5',
    CLEANUP_BACKOFF_BASE_SEC: '10',
    CLEANUP_BACKOFF_MAX_SEC: '60',
    JOB_LEASE_TTL_SEC: '30',
    ...env,
  });
}

/** The real HTTP client against the simulator with short timeouts and no in-client retries. */
export function cspClient(
  sim: RunningSimulator,
  overrides: Partial<CspClientConfig> = {},
): HttpCspClient {
  return new HttpCspClient({
    baseUrl: sim.cspBaseUrl,
    token: sim.config.cspToken,
    timeouts: { listMs: 2_000, deleteMs: 300 },
    retry: { maxRetries: 0 },
    breaker: { threshold: 1_000, halfOpenAfterMs: 200 },
    niosxaas: {
      enabled: true,
      baseUrl: sim.url,
      email: sim.config.niosEmail,
      password: sim.config.niosPassword,
      serviceName: sim.config.serviceName,
      shadowMode: false,
      timeoutMs: 2_000,
    },
    ...overrides,
  });
}

/** The store over a fresh table on a running engine (it owns its client: dispose closes it). */
export async function dynamoStorage(
  endpoint: string,
  clock: Clock,
  /** Reach the table through another address (a proxy), with other deadlines. */
  via: { readonly endpoint?: string; readonly deadlines?: Partial<DocumentClientConfig> } = {},
): Promise<DynamoStore & { tableName: string }> {
  const { client, tableName } = await createTestTable(endpoint);
  client.destroy();
  const store = createDynamoStore(
    {
      tableName,
      region: 'us-east-1',
      endpoint: via.endpoint ?? endpoint,
      lease: LEASE,
      ...via.deadlines,
    },
    { clock },
  );
  return Object.assign(store, { tableName });
}

export function workerJobs(options: {
  config: WorkerConfig;
  storage: JobStorage;
  provider: HttpCspClient;
  clock: Clock;
  workerId?: string;
  logger?: JobLogger;
}): WorkerJobs {
  return new WorkerJobs({
    ...options,
    lease: LEASE,
    metrics: new WorkerMetrics(options.provider),
    logger: options.logger ?? silentJobLogger,
  });
}

export function simOptions(overrides: SimulatorOptions = {}): SimulatorOptions {
  return { poolSize: 20, withNoise: true, serviceEvery: 5, ...overrides };
}

export function uuidOf(externalId: string): string {
  return externalId.split('/').pop() ?? externalId;
}

/** Polls `check` every 5 ms until true; fails after `timeoutMs` (every wait bounded). */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

type RunningEngine = Awaited<ReturnType<typeof startDynalite>>;

/** dynalite and a CSP simulator shared by one spec file's tests. */
export interface Backends {
  readonly engine: RunningEngine;
  readonly sim: RunningSimulator;
}

/**
 * Starts dynalite and a simulator (`simOptions(simulator)`) before the file's tests and stops
 * both after them; the getters throw if read outside a test (before `beforeAll` ran).
 */
export function useBackends(simulator: SimulatorOptions = {}): Backends {
  let started: { engine: RunningEngine; sim: RunningSimulator } | undefined;
  beforeAll(async () => {
    const [engine, sim] = await Promise.all([
      startDynalite(),
      startSimulator(simOptions(simulator)),
    ]);
    started = { engine, sim };
  });
  afterAll(async () => {
    await Promise.all([started?.engine.stop(), started?.sim.stop()]);
  });
  const get = (): { engine: RunningEngine; sim: RunningSimulator } => {
    if (!started) throw new Error('useBackends: read before beforeAll ran');
    return started;
  };
  return {
    get engine() {
      return get().engine;
    },
    get sim() {
      return get().sim;
    },
  };
}
