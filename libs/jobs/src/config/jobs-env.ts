import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { PersistenceEnv } from '@broker/platform';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** An integer env var in [min, max] (seconds, counts). */
export function envInt(max = 7 * 24 * 3600, min = 0): PropertyDecorator {
  const decorators = [Type(() => Number), IsInt(), Min(min), Max(max)];
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/**
 * The environment every process that runs jobs reads: the worker on its schedule, the API for the
 * admin triggers. One class, so both validate the provider and job knobs identically.
 */
export class JobsEnv extends PersistenceEnv {
  // --- provider (Infoblox CSP) ---
  @IsUrl(URL_OPTIONS)
  CSP_BASE_URL = 'https://csp.infoblox.com/v2';

  @IsOptional()
  @IsString()
  CSP_API_TOKEN?: string;

  /** Whole-call timeout of one list page or one delete (real deletes take 5–10 s). */
  @envInt(300, 1)
  CSP_TIMEOUT_READ_SEC = 15;

  /**
   * In-client retries of idempotent calls. 0 by default: cleanup retries per sandbox with its own
   * back-off and rate limit, which in-client retries would bypass.
   */
  @envInt(10)
  CSP_MAX_RETRIES = 0;

  @envInt(100, 1)
  CIRCUIT_BREAKER_THRESHOLD = 5;

  @envInt(3600, 1)
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

  @envInt(300, 1)
  NIOSXAAS_TIMEOUT_SEC = 30;

  @IsIn(['true', 'false'])
  NIOSXAAS_SHADOW_MODE = 'true';

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

  @envInt(3600, 3)
  JOB_LEASE_TTL_SEC = 60;
}
