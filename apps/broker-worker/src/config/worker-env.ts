import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { envInt } from '@broker/jobs/config';
import { ProviderEnv } from './provider-env';

/** Every environment variable the worker reads, with its default. Validated once at boot. */
export class WorkerEnv extends ProviderEnv {
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

  // --- job intervals (0 disables a job) ---
  @envInt()
  SYNC_INTERVAL_SEC = 600;

  @envInt()
  CLEANUP_INTERVAL_SEC = 300;

  @envInt()
  EXPIRY_INTERVAL_SEC = 300;

  @envInt()
  STALE_PURGE_INTERVAL_SEC = 3600;

  @envInt()
  CLAIM_REPAIR_INTERVAL_SEC = 60;

  @envInt()
  POOL_GAUGES_INTERVAL_SEC = 30;

  /** Recount of sandboxes held per track (the console's tracks chart). */
  @envInt()
  TRACK_STATS_INTERVAL_SEC = 60;
  /** Per-track quota counters recounted from the StatusIndex (QuotaRepairJob). */
  @envInt()
  QUOTA_REPAIR_INTERVAL_SEC = 60;

  /** A counter above its count is lowered only after holding still this long. */
  @envInt()
  QUOTA_REPAIR_SETTLE_SEC = 10;
  /** Reservations: earmark at lead time, top up, give back unclaimed at release time and end. */
  @envInt()
  RESERVATIONS_INTERVAL_SEC = 15;

  /** How often the worker looks for admin-triggered run requests (0 = never). */
  @envInt(60_000, 0)
  JOB_REQUEST_POLL_MS = 2000;

  /** On shutdown, in-flight work gets this long to finish before it is abandoned. */
  @envInt(600, 0)
  SHUTDOWN_GRACE_SEC = 20;
}
