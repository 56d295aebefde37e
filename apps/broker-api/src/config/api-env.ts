import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { JobRequestEnv } from '@broker/jobs/config';

/**
 * Every environment variable the API reads, with its default. Validated once at boot. No provider
 * (CSP_*, NIOSXAAS_*) settings: admin triggers record run requests the worker runs.
 */
export class ApiEnv extends JobRequestEnv {
  /**
   * How long POST /v1/admin/sync|cleanup waits for the worker to run the request before
   * answering 202 with a run id (below the load balancer's idle timeout).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(50)
  ADMIN_JOB_WAIT_SEC = 10;

  /** GET /v1/admin/stats counts from the indexes at most this often per API task. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  ADMIN_STATS_CACHE_SEC = 10;

  /**
   * Past the cache, counts up to this old are answered at once while a recount runs in the
   * background (stale-while-revalidate; `age_seconds` shows the age). 0, or a cache of 0: always
   * wait for the recount.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  ADMIN_STATS_MAX_STALE_SEC = 60;

  /** Console sign-in sessions (POST /v1/admin/session) last this long (5 min .. 7 days). */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(7 * 24 * 60)
  CONSOLE_SESSION_TTL_MINUTES = 480;

  /** Directory of the built console SPA served under /console (default: the repo's build). */
  @IsOptional()
  @IsString()
  CONSOLE_DIST_DIR?: string;

  /** Named read-only operator tokens `name:token,…` (role `viewer`). */
  @IsOptional()
  @IsString()
  BROKER_VIEWER_TOKENS?: string;

  /** Single viewer token (name `default`), used when BROKER_VIEWER_TOKENS is unset. */
  @IsOptional()
  @IsString()
  BROKER_VIEWER_TOKEN?: string;

  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  /** Named track tokens `name:token,name2:token2`. */
  @IsOptional()
  @IsString()
  BROKER_TRACK_TOKENS?: string;

  /**
   * Binds named track tokens to the track slugs they may serve: `name:slug1|slug2,name2:slug3`
   * (validated with the token lists); an allocation with another X-Instruqt-Track-ID is 403.
   */
  @IsOptional()
  @IsString()
  BROKER_TRACK_TOKEN_TRACKS?: string;

  /** Single track token (name `default`), used when BROKER_TRACK_TOKENS is unset. */
  @IsOptional()
  @IsString()
  BROKER_API_TOKEN?: string;

  @IsOptional()
  @IsString()
  BROKER_ADMIN_TOKENS?: string;

  @IsOptional()
  @IsString()
  BROKER_ADMIN_TOKEN?: string;

  /** Comma list of browser origins allowed by CORS; empty means no CORS headers at all. */
  @IsString()
  CORS_ALLOWED_ORIGINS = '';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  /** Fastify trustProxy: `false`, `true`, a hop count, or a comma list of proxy addresses. */
  @IsString()
  @Matches(/^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count or a list of addresses',
  })
  TRUST_PROXY = 'false';

  @IsIn(['true', 'false'])
  SWAGGER_ENABLED = 'true';

  /** Token-bucket refill per caller (token name + student id, else client IP), requests/s. */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1_000_000)
  RATE_LIMIT_PER_SEC = 50;

  /** Token-bucket capacity: how many requests a caller may fire at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_BURST = 200;

  /**
   * Overall bucket per token (every request made with one track or admin token, all students
   * together), on top of the per-student bucket: refill in requests/s.
   */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1_000_000)
  TOKEN_RATE_LIMIT_PER_SEC = 200;

  /** Capacity of the overall per-token bucket. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  TOKEN_RATE_LIMIT_BURST = 2000;

  /**
   * Allocation requests (POST /v1/allocate, repeats included) per track token: refill per minute.
   * Bounds how fast one token can drain the pool with made-up student ids.
   */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1_000_000)
  ALLOCATION_LIMIT_PER_MIN = 300;

  /** Allocation requests one track token may make at once: a 300-student class start, each retrying once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ALLOCATION_LIMIT_BURST = 600;

  /** Most buckets kept in memory (least recently used evicted); bounds memory per process. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  RATE_LIMIT_MAX_KEYS = 50_000;

  /**
   * Deadline for the request line and headers (Node `headersTimeout`); a client still sending
   * headers after it gets 408 problem+json and the connection is closed. 0 disables.
   */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(600)
  HTTP_HEADERS_TIMEOUT_SEC = 10;

  /** Deadline for the whole request, body included (Node/Fastify `requestTimeout`); 0 disables. */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3600)
  HTTP_REQUEST_TIMEOUT_SEC = 30;

  /**
   * How long an idle keep-alive connection stays open (Node/Fastify `keepAliveTimeout`). Behind an
   * ALB keep it above the ALB's idle timeout (60 s by default), so the ALB, not the API, closes
   * idle connections and never sends a request down a connection the API is closing (a 502).
   */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(3600)
  HTTP_KEEP_ALIVE_TIMEOUT_SEC = 65;

  /** Deepest array/object nesting accepted in a JSON body; deeper is 400 JSON_TOO_DEEP. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  JSON_MAX_DEPTH = 32;

  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{16,}$/, {
    message: 'METRICS_TOKEN must be at least 16 printable ASCII characters without spaces',
  })
  METRICS_TOKEN?: string;

  /** Pool gauges are re-read from the indexes at most this often (a scrape never waits). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  METRICS_POOL_CACHE_SEC = 15;

  /** Shortest per-track lease TRACK_LEASE_MINUTES may set. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  LEASE_MIN_MINUTES = 5;

  /**
   * Longest per-track lease TRACK_LEASE_MINUTES may set (at most 7 days: allocation claims are
   * kept for the default lease + grace + 7 days, so a repeat still finds the student's sandbox).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  LEASE_MAX_MINUTES = 7 * 24 * 60;

  /**
   * Per-track lease set by the operator, `slug:minutes,slug2:minutes`: an allocation whose
   * X-Instruqt-Track-ID matches gets `expires_at = allocated_at + minutes`; other tracks get
   * LAB_DURATION_HOURS. Every entry must be within LEASE_MIN_MINUTES..LEASE_MAX_MINUTES.
   */
  @IsOptional()
  @IsString()
  TRACK_LEASE_MINUTES?: string;

  /** What one POST /v1/sandboxes/{id}/extend adds to `expires_at`. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  EXTENSION_STEP_MINUTES = 60;

  /** How many extensions one allocation may get (0 disables self-extension). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  EXTENSION_MAX_COUNT = 2;

  /** An extension never moves `expires_at` past `allocated_at` + this many hours (≤ 7 days). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24)
  EXTENSION_MAX_LEASE_HOURS = 72;

  /** Reservations: earmarking and the class's allocation window open this long before start. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  RESERVATION_LEAD_MINUTES = 60;

  /** Unclaimed earmarked sandboxes go back to the pool this long after start (per booking too). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  RESERVATION_RELEASE_UNCLAIMED_MINUTES = 30;

  /**
   * How old this process's copy of the reservation ledger may get before an allocation refreshes
   * it (which reservations are open for which track); 0 reads it on every allocation with a track.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  RESERVATION_CACHE_MS = 5000;

  /** GET /v1/admin/capacity looks this many days ahead unless `at` says otherwise. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  CAPACITY_FORECAST_DAYS = 7;
}
