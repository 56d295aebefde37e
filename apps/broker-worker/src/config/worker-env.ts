import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { PersistenceEnv } from '@broker/platform';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

function seconds(max = 7 * 24 * 3600, min = 0) {
  return [Type(() => Number), IsInt(), Min(min), Max(max)];
}

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** Every environment variable the worker reads, with its default. Validated once at boot. */
export class WorkerEnv extends PersistenceEnv {
  @IsString()
  WORKER_HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 9464;

  /** `false` serves health and metrics only (jobs then run through admin triggers or tests). */
  @IsIn(['true', 'false'])
  JOBS_ENABLED = 'true';

  // --- provider (Infoblox CSP) ---
  @IsUrl(URL_OPTIONS)
  CSP_BASE_URL = 'https://csp.infoblox.com/v2';

  @IsOptional()
  @IsString()
  CSP_API_TOKEN?: string;

  /** Whole-call timeout of one list page or one delete (real deletes take 5–10 s). */
  @apply(seconds(300, 1))
  CSP_TIMEOUT_READ_SEC = 15;

  /**
   * In-client retries of idempotent calls. 0 by default: cleanup retries per sandbox with its own
   * back-off and rate limit, which in-client retries would bypass.
   */
  @apply(seconds(10))
  CSP_MAX_RETRIES = 0;

  @apply(seconds(100, 1))
  CIRCUIT_BREAKER_THRESHOLD = 5;

  @apply(seconds(3600, 1))
  CIRCUIT_BREAKER_TIMEOUT_SEC = 60;

  // --- NIOSXaaS pre-delete clean-up ---
  @IsIn(['true', 'false'])
  NIOSXAAS_ENABLED = 'false';

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  NIOSXAAS_BASE_URL?: string;

  @IsOptional()
  @IsString()
  NIOSXAAS_EMAIL?: string;

  @IsOptional()
  @IsString()
  NIOSXAAS_PASSWORD?: string;

  /** Exact name of the services to delete; `*` deletes every service (empty counts as unset). */
  @IsString()
  NIOSXAAS_SERVICE_NAME = 'Instrqt-SaaS';

  @apply(seconds(300, 1))
  NIOSXAAS_TIMEOUT_SEC = 30;

  @IsIn(['true', 'false'])
  NIOSXAAS_SHADOW_MODE = 'true';

  // --- job intervals (0 disables a job) ---
  @apply(seconds())
  SYNC_INTERVAL_SEC = 600;

  @apply(seconds())
  CLEANUP_INTERVAL_SEC = 300;

  @apply(seconds())
  EXPIRY_INTERVAL_SEC = 300;

  @apply(seconds())
  STALE_PURGE_INTERVAL_SEC = 3600;

  @apply(seconds())
  CLAIM_REPAIR_INTERVAL_SEC = 60;

  @apply(seconds())
  POOL_GAUGES_INTERVAL_SEC = 30;

  // --- job knobs ---
  @apply(seconds(24 * 365, 0))
  STALE_GRACE_HOURS = 24;

  @apply(seconds(64, 1))
  CLEANUP_CONCURRENCY = 4;

  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(1000)
  CLEANUP_RATE_PER_SEC = 2;

  @apply(seconds(100, 1))
  CLEANUP_MAX_ATTEMPTS = 5;

  @apply(seconds(24 * 3600, 0))
  CLEANUP_BACKOFF_BASE_SEC = 60;

  @apply(seconds(7 * 24 * 3600, 0))
  CLEANUP_BACKOFF_MAX_SEC = 3600;

  /** A row in `deleting` longer than this is a crashed run's and is handed back. */
  @apply(seconds(7 * 24 * 3600, 1))
  CLEANUP_STUCK_AFTER_SEC = 900;

  @apply(seconds(100_000, 1))
  CLEANUP_MAX_PER_RUN = 500;

  @apply(seconds(3600, 3))
  JOB_LEASE_TTL_SEC = 60;

  /** On shutdown, in-flight work gets this long to finish before it is abandoned. */
  @apply(seconds(600, 0))
  SHUTDOWN_GRACE_SEC = 20;
}
