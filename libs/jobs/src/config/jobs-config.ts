import type { CleanupOptions } from '../cleanup/cleanup.job';
import type { JobRequestEnv, JobsEnv } from './jobs-env';

/** What both the API (run requests) and the worker (runs) derive from JobRequestEnv. */
export interface JobRequestConfig {
  readonly leaseTtlMs: number;
  readonly requestPickupTimeoutMs: number;
}

/** Typed job settings of the process that runs jobs (the worker's JobSet settings). */
export interface JobsConfig extends JobRequestConfig {
  readonly staleGraceSeconds: number;
  readonly cleanup: CleanupOptions & { readonly ratePerSec: number };
}

export function jobRequestConfigFromEnv(parsed: JobRequestEnv): JobRequestConfig {
  return {
    leaseTtlMs: parsed.JOB_LEASE_TTL_SEC * 1000,
    requestPickupTimeoutMs: parsed.JOB_REQUEST_PICKUP_TIMEOUT_SEC * 1000,
  };
}

/**
 * Derives JobsConfig; returns the problems instead of throwing so callers can merge them.
 * `preDelete`: clean the sandbox's NIOSXaaS services before deleting it (the worker's provider
 * setting).
 */
export function jobsConfigFromEnv(
  parsed: JobsEnv,
  options: { readonly preDelete: boolean },
): { config: JobsConfig; problems: string[] } {
  const problems: string[] = [];
  if (parsed.CLEANUP_BACKOFF_MAX_SEC < parsed.CLEANUP_BACKOFF_BASE_SEC) {
    problems.push('CLEANUP_BACKOFF_MAX_SEC must be at least CLEANUP_BACKOFF_BASE_SEC');
  }
  const config: JobsConfig = {
    ...jobRequestConfigFromEnv(parsed),
    staleGraceSeconds: parsed.STALE_GRACE_HOURS * 3600,
    cleanup: {
      concurrency: parsed.CLEANUP_CONCURRENCY,
      ratePerSec: parsed.CLEANUP_RATE_PER_SEC,
      maxAttempts: parsed.CLEANUP_MAX_ATTEMPTS,
      backoffBaseSec: parsed.CLEANUP_BACKOFF_BASE_SEC,
      backoffMaxSec: parsed.CLEANUP_BACKOFF_MAX_SEC,
      stuckAfterSec: parsed.CLEANUP_STUCK_AFTER_SEC,
      maxPerRun: parsed.CLEANUP_MAX_PER_RUN,
      preDelete: options.preDelete,
    },
  };
  return { config, problems };
}
