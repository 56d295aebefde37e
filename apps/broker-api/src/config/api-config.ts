import {
  AuthConfigError,
  type AuthTokens,
  productionTokenProblems,
  resolveAuthTokens,
  withDevDefaults,
} from '@broker/auth';
import {
  ConfigValidationError,
  type LogLevel,
  type NodeEnv,
  type PersistenceConfig,
  persistenceConfigFromEnv,
  validateEnv,
} from '@broker/platform';
import { type JobRequestConfig, jobRequestConfigFromEnv } from '@broker/jobs/config';
import type { ExtensionPolicy } from '@broker/domain';
import { ApiEnv } from './api-env';
import { resolveConsoleDistDir } from './console-dist-dir';
import { parseTrackLeases, type TrackLeaseConfig } from './lease-config';

/** Typed API settings; built once from the environment by loadApiConfig. */
export interface ApiConfig {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  readonly jsonMaxDepth: number;
  /** Server deadlines in ms (headers, whole request, idle keep-alive). */
  readonly timeouts: {
    readonly headersMs: number;
    readonly requestMs: number;
    readonly keepAliveMs: number;
  };
  readonly corsOrigins: readonly string[];
  readonly trustProxy: boolean | number | string;
  readonly swaggerEnabled: boolean;
  readonly auth: AuthTokens;
  readonly persistence: PersistenceConfig;
  /** Run requests of the admin job triggers: the job lease TTL and the pickup timeout. */
  readonly jobs: JobRequestConfig;
  readonly adminJobWaitMs: number;
  readonly adminStatsCacheMs: number;
  /** Stale-while-revalidate bound of the stats cache (ms; 0: never answer stale counts). */
  readonly adminStatsMaxStaleMs: number;
  /** Token bucket per caller; see RateLimitModule. */
  readonly rateLimit: {
    readonly perSec: number;
    readonly burst: number;
    readonly maxKeys: number;
    /** Overall bucket per token (all its students together). */
    readonly token: { readonly perSec: number; readonly burst: number };
    /** Allocation requests per track token. */
    readonly allocation: { readonly perMin: number; readonly burst: number };
  };
  /** Per-track leases (TRACK_LEASE_MINUTES) within LEASE_MIN_MINUTES..LEASE_MAX_MINUTES. */
  readonly lease: TrackLeaseConfig;
  /** Self-extension: step, how many, and the longest lease an extension may reach. */
  readonly extension: ExtensionPolicy;
  /** The operator console: session lifetime and where its built files are. */
  readonly console: { readonly sessionTtlMs: number; readonly distDir: string };
  /** Class reservations: lead time, default release of unclaimed seats, forecast horizon. */
  readonly reservations: ReservationSettings;
  /** `token` guards GET /metrics when set; pool gauges are cached for `poolCacheMs`. */
  readonly metrics: { readonly token?: string; readonly poolCacheMs: number };
}

export interface ReservationSettings {
  readonly leadSeconds: number;
  readonly releaseUnclaimedAfterSeconds: number;
  readonly forecastSeconds: number;
  /** RESERVATION_CACHE_MS: staleness of the allocation path's copy of the ledger. */
  readonly cacheMs: number;
}

export const API_CONFIG = Symbol.for('broker.ApiConfig');

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function problemsOf(error: unknown): string[] {
  if (error instanceof ConfigValidationError || error instanceof AuthConfigError) {
    return [...error.problems];
  }
  throw error;
}

/**
 * Validates the environment and derives the config. Throws one ConfigValidationError listing every
 * problem. Outside production a role without tokens gets the dev token; in production dev tokens,
 * missing roles and short tokens are refused.
 */
export function loadApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const problems: string[] = [];
  let parsed: ApiEnv | undefined;
  let persistence: PersistenceConfig | undefined;
  let tokens: AuthTokens | undefined;
  let jobs: JobRequestConfig | undefined;
  try {
    parsed = validateEnv(ApiEnv, env);
    persistence = persistenceConfigFromEnv(parsed);
    jobs = jobRequestConfigFromEnv(parsed);
  } catch (error) {
    problems.push(...problemsOf(error));
  }
  try {
    tokens = resolveAuthTokens({
      trackTokens: env['BROKER_TRACK_TOKENS'],
      trackToken: env['BROKER_API_TOKEN'],
      adminTokens: env['BROKER_ADMIN_TOKENS'],
      adminToken: env['BROKER_ADMIN_TOKEN'],
      viewerTokens: env['BROKER_VIEWER_TOKENS'],
      viewerToken: env['BROKER_VIEWER_TOKEN'],
      trackTokenTracks: env['BROKER_TRACK_TOKEN_TRACKS'],
    });
  } catch (error) {
    problems.push(...problemsOf(error));
  }
  // Checked even when another variable is broken (then with the default bounds), so every
  // problem is reported at once.
  const leases = parseTrackLeases(env['TRACK_LEASE_MINUTES'], {
    minMinutes: parsed?.LEASE_MIN_MINUTES ?? 5,
    maxMinutes: parsed?.LEASE_MAX_MINUTES ?? 7 * 24 * 60,
  });
  problems.push(...leases.problems);
  if (parsed?.NODE_ENV === 'production' && /(^|,)\s*\*\s*(,|$)/.test(parsed.CORS_ALLOWED_ORIGINS)) {
    problems.push('CORS_ALLOWED_ORIGINS: the wildcard * is refused in production; list origins');
  }
  if (
    parsed !== undefined &&
    parsed.HTTP_REQUEST_TIMEOUT_SEC > 0 &&
    parsed.HTTP_HEADERS_TIMEOUT_SEC > parsed.HTTP_REQUEST_TIMEOUT_SEC
  ) {
    // Node refuses a header deadline longer than the request deadline.
    problems.push('HTTP_HEADERS_TIMEOUT_SEC must not exceed HTTP_REQUEST_TIMEOUT_SEC');
  }
  if (parsed && tokens) {
    if (parsed.NODE_ENV === 'production') {
      problems.push(...productionTokenProblems(tokens).map((p) => `refusing to start: ${p}`));
    } else {
      tokens = withDevDefaults(tokens);
    }
  }
  if (problems.length > 0 || !parsed || !persistence || !tokens || !jobs) {
    throw new ConfigValidationError(problems);
  }
  return {
    nodeEnv: parsed.NODE_ENV,
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    jsonMaxDepth: parsed.JSON_MAX_DEPTH,
    timeouts: {
      headersMs: Math.round(parsed.HTTP_HEADERS_TIMEOUT_SEC * 1000),
      requestMs: Math.round(parsed.HTTP_REQUEST_TIMEOUT_SEC * 1000),
      keepAliveMs: Math.round(parsed.HTTP_KEEP_ALIVE_TIMEOUT_SEC * 1000),
    },
    corsOrigins: parsed.CORS_ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    swaggerEnabled: parsed.SWAGGER_ENABLED === 'true',
    auth: tokens,
    persistence,
    jobs,
    adminJobWaitMs: parsed.ADMIN_JOB_WAIT_SEC * 1000,
    adminStatsCacheMs: parsed.ADMIN_STATS_CACHE_SEC * 1000,
    adminStatsMaxStaleMs:
      parsed.ADMIN_STATS_CACHE_SEC === 0 ? 0 : parsed.ADMIN_STATS_MAX_STALE_SEC * 1000,
    rateLimit: {
      perSec: parsed.RATE_LIMIT_PER_SEC,
      burst: parsed.RATE_LIMIT_BURST,
      maxKeys: parsed.RATE_LIMIT_MAX_KEYS,
      token: { perSec: parsed.TOKEN_RATE_LIMIT_PER_SEC, burst: parsed.TOKEN_RATE_LIMIT_BURST },
      allocation: {
        perMin: parsed.ALLOCATION_LIMIT_PER_MIN,
        burst: parsed.ALLOCATION_LIMIT_BURST,
      },
    },
    lease: leases.config,
    extension: {
      stepSeconds: parsed.EXTENSION_STEP_MINUTES * 60,
      maxCount: parsed.EXTENSION_MAX_COUNT,
      maxLeaseSeconds: parsed.EXTENSION_MAX_LEASE_HOURS * 3600,
    },
    console: {
      sessionTtlMs: parsed.CONSOLE_SESSION_TTL_MINUTES * 60_000,
      distDir: resolveConsoleDistDir(parsed.CONSOLE_DIST_DIR),
    },
    reservations: {
      leadSeconds: parsed.RESERVATION_LEAD_MINUTES * 60,
      releaseUnclaimedAfterSeconds: parsed.RESERVATION_RELEASE_UNCLAIMED_MINUTES * 60,
      forecastSeconds: parsed.CAPACITY_FORECAST_DAYS * 86_400,
      cacheMs: parsed.RESERVATION_CACHE_MS,
    },
    metrics: {
      ...(parsed.METRICS_TOKEN !== undefined ? { token: parsed.METRICS_TOKEN } : {}),
      poolCacheMs: parsed.METRICS_POOL_CACHE_SEC * 1000,
    },
  };
}
