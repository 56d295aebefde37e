import type { CspClientConfig } from '@broker/csp-client';
import type { CleanupOptions } from '@broker/jobs';
import {
  ConfigValidationError,
  type LogLevel,
  type NodeEnv,
  type PersistenceConfig,
  persistenceConfigFromEnv,
  validateEnv,
} from '@broker/platform';
import { WorkerEnv } from './worker-env';

/** The simulator's default token: accepted outside production only. */
export const DEV_CSP_TOKEN = 'dev-csp-token';

export interface JobIntervals {
  readonly sync: number;
  readonly cleanup: number;
  readonly expiry: number;
  readonly 'stale-purge': number;
  readonly 'claim-repair': number;
  readonly 'pool-gauges': number;
}

/** Typed worker settings; built once from the environment by loadWorkerConfig. */
export interface WorkerConfig {
  readonly nodeEnv: NodeEnv;
  readonly logLevel: LogLevel;
  readonly host: string;
  readonly port: number;
  readonly jobsEnabled: boolean;
  /** Milliseconds between the end of one run and the start of the next; 0 = disabled. */
  readonly intervalsMs: JobIntervals;
  readonly leaseTtlMs: number;
  readonly shutdownGraceMs: number;
  readonly staleGraceSeconds: number;
  readonly cleanup: CleanupOptions & { readonly ratePerSec: number };
  readonly csp: Omit<CspClientConfig, 'hooks'>;
  readonly persistence: PersistenceConfig;
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
  const problems: string[] = [];
  const production = parsed.NODE_ENV === 'production';
  const token = parsed.CSP_API_TOKEN ?? (production ? '' : DEV_CSP_TOKEN);
  if (token === '') problems.push('CSP_API_TOKEN must be set');
  if (production && token === DEV_CSP_TOKEN) {
    problems.push('CSP_API_TOKEN: refusing the development token in production');
  }
  const niosEnabled = parsed.NIOSXAAS_ENABLED === 'true';
  if (niosEnabled && (!parsed.NIOSXAAS_EMAIL || !parsed.NIOSXAAS_PASSWORD)) {
    problems.push('NIOSXAAS_EMAIL and NIOSXAAS_PASSWORD must be set when NIOSXAAS_ENABLED=true');
  }
  if (parsed.CLEANUP_BACKOFF_MAX_SEC < parsed.CLEANUP_BACKOFF_BASE_SEC) {
    problems.push('CLEANUP_BACKOFF_MAX_SEC must be at least CLEANUP_BACKOFF_BASE_SEC');
  }
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
    },
    leaseTtlMs: ms(parsed.JOB_LEASE_TTL_SEC),
    shutdownGraceMs: ms(parsed.SHUTDOWN_GRACE_SEC),
    staleGraceSeconds: parsed.STALE_GRACE_HOURS * 3600,
    cleanup: {
      concurrency: parsed.CLEANUP_CONCURRENCY,
      ratePerSec: parsed.CLEANUP_RATE_PER_SEC,
      maxAttempts: parsed.CLEANUP_MAX_ATTEMPTS,
      backoffBaseSec: parsed.CLEANUP_BACKOFF_BASE_SEC,
      backoffMaxSec: parsed.CLEANUP_BACKOFF_MAX_SEC,
      stuckAfterSec: parsed.CLEANUP_STUCK_AFTER_SEC,
      maxPerRun: parsed.CLEANUP_MAX_PER_RUN,
      preDelete: niosEnabled,
    },
    csp: {
      baseUrl: parsed.CSP_BASE_URL,
      token,
      timeouts: {
        listMs: ms(parsed.CSP_TIMEOUT_READ_SEC),
        deleteMs: ms(parsed.CSP_TIMEOUT_READ_SEC),
      },
      retry: { maxRetries: parsed.CSP_MAX_RETRIES },
      breaker: {
        threshold: parsed.CIRCUIT_BREAKER_THRESHOLD,
        halfOpenAfterMs: ms(parsed.CIRCUIT_BREAKER_TIMEOUT_SEC),
      },
      niosxaas: {
        enabled: niosEnabled,
        ...(parsed.NIOSXAAS_BASE_URL ? { baseUrl: parsed.NIOSXAAS_BASE_URL } : {}),
        email: parsed.NIOSXAAS_EMAIL ?? '',
        password: parsed.NIOSXAAS_PASSWORD ?? '',
        serviceName: parsed.NIOSXAAS_SERVICE_NAME === '*' ? '' : parsed.NIOSXAAS_SERVICE_NAME,
        shadowMode: parsed.NIOSXAAS_SHADOW_MODE === 'true',
        timeoutMs: ms(parsed.NIOSXAAS_TIMEOUT_SEC),
      },
    },
    persistence,
  };
}
