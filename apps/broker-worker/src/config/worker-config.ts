import { type JobsConfig, jobsConfigFromEnv } from '@broker/jobs/config';
import {
  ConfigValidationError,
  type LogLevel,
  type NodeEnv,
  type PersistenceConfig,
  persistenceConfigFromEnv,
  validateEnv,
} from '@broker/platform';
import { WorkerEnv } from './worker-env';

import { type ProviderConfig, providerConfigFromEnv } from './provider-config';

export { DEV_CSP_TOKEN } from './provider-config';

export interface JobIntervals {
  readonly sync: number;
  readonly cleanup: number;
  readonly expiry: number;
  readonly 'stale-purge': number;
  readonly 'claim-repair': number;
  readonly 'pool-gauges': number;
  readonly 'track-stats': number;
  readonly 'quota-repair': number;
  readonly reservations: number;
}

/** Typed worker settings; built once from the environment by loadWorkerConfig. */
export interface WorkerConfig extends JobsConfig {
  readonly nodeEnv: NodeEnv;
  readonly logLevel: LogLevel;
  readonly host: string;
  readonly port: number;
  readonly jobsEnabled: boolean;
  /** Milliseconds between the end of one run and the start of the next; 0 = disabled. */
  readonly intervalsMs: JobIntervals;
  /** How often to look for admin-triggered run requests; 0 = never. */
  readonly requestPollMs: number;
  readonly shutdownGraceMs: number;
  /** How long a quota counter above its count must hold still before it is lowered. */
  readonly quotaRepairSettleMs: number;
  readonly persistence: PersistenceConfig;
  /** The provider client's settings (the worker is the only process that calls the provider). */
  readonly csp: ProviderConfig;
}

export const WORKER_CONFIG = Symbol.for('broker.WorkerConfig');

/**
 * Validates the environment and derives the config; throws one ConfigValidationError listing every
 * problem (secret values are never echoed).
 */
export function loadWorkerConfig(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  let parsed: WorkerEnv;
  let persistence: PersistenceConfig;
  try {
    parsed = validateEnv(WorkerEnv, env);
    persistence = persistenceConfigFromEnv(parsed);
  } catch (error) {
    if (error instanceof ConfigValidationError) throw error;
    throw new ConfigValidationError([String(error)]);
  }
  const provider = providerConfigFromEnv(parsed);
  const jobs = jobsConfigFromEnv(parsed, { preDelete: provider.config.niosxaas?.enabled ?? false });
  const problems = [...provider.problems, ...jobs.problems];
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const ms = (sec: number) => sec * 1000;
  return {
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.WORKER_HOST,
    port: parsed.WORKER_PORT,
    jobsEnabled: parsed.JOBS_ENABLED === 'true',
    intervalsMs: {
      sync: ms(parsed.SYNC_INTERVAL_SEC),
      cleanup: ms(parsed.CLEANUP_INTERVAL_SEC),
      expiry: ms(parsed.EXPIRY_INTERVAL_SEC),
      'stale-purge': ms(parsed.STALE_PURGE_INTERVAL_SEC),
      'claim-repair': ms(parsed.CLAIM_REPAIR_INTERVAL_SEC),
      'pool-gauges': ms(parsed.POOL_GAUGES_INTERVAL_SEC),
      'track-stats': ms(parsed.TRACK_STATS_INTERVAL_SEC),
      'quota-repair': ms(parsed.QUOTA_REPAIR_INTERVAL_SEC),
      reservations: ms(parsed.RESERVATIONS_INTERVAL_SEC),
    },
    requestPollMs: parsed.JOB_REQUEST_POLL_MS,
    shutdownGraceMs: ms(parsed.SHUTDOWN_GRACE_SEC),
    quotaRepairSettleMs: ms(parsed.QUOTA_REPAIR_SETTLE_SEC),
    ...jobs.config,
    persistence,
    csp: provider.config,
  };
}
