import { Type } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { PersistenceEnv } from '@broker/platform';

/** An integer env var in [min, max] (seconds, counts). */
export function envInt(max = 7 * 24 * 3600, min = 0): PropertyDecorator {
  const decorators = [Type(() => Number), IsInt(), Min(min), Max(max)];
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/**
 * What the API (which records run requests) and the worker (which runs them) both read: the job
 * lease TTL and how long a run request may wait for a worker. One class, so both agree.
 */
export class JobRequestEnv extends PersistenceEnv {
  @envInt(3600, 3)
  JOB_LEASE_TTL_SEC = 60;

  /** A run request no worker claims within this long is marked `expired`. */
  @envInt(3600, 1)
  JOB_REQUEST_PICKUP_TIMEOUT_SEC = 30;
}

/**
 * The job knobs of the process that runs jobs (the worker). The provider (CSP_*, NIOSXAAS_*)
 * settings are the worker's own (apps/broker-worker/src/config).
 */
export class JobsEnv extends JobRequestEnv {
  // --- job knobs ---
  @envInt(24 * 365, 0)
  STALE_GRACE_HOURS = 24;

  @envInt(64, 1)
  CLEANUP_CONCURRENCY = 4;

  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(1000)
  CLEANUP_RATE_PER_SEC = 2;

  @envInt(100, 1)
  CLEANUP_MAX_ATTEMPTS = 5;

  @envInt(24 * 3600, 0)
  CLEANUP_BACKOFF_BASE_SEC = 60;

  @envInt(7 * 24 * 3600, 0)
  CLEANUP_BACKOFF_MAX_SEC = 3600;

  /** A row in `deleting` longer than this is a crashed run's and is handed back. */
  @envInt(7 * 24 * 3600, 1)
  CLEANUP_STUCK_AFTER_SEC = 900;

  @envInt(100_000, 1)
  CLEANUP_MAX_PER_RUN = 500;
}
