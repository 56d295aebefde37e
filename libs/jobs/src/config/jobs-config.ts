import type { CspClientConfig } from '@broker/csp-client';
import type { NodeEnv } from '@broker/platform';
import type { CleanupOptions } from '../cleanup/cleanup.job';
import type { JobsEnv } from './jobs-env';

/** The simulator's default token: accepted outside production only. */
export const DEV_CSP_TOKEN = 'dev-csp-token';

/** Typed provider and job settings shared by the worker and the API's admin triggers. */
export interface JobsConfig {
  readonly leaseTtlMs: number;
  readonly staleGraceSeconds: number;
  readonly cleanup: CleanupOptions & { readonly ratePerSec: number };
  readonly csp: Omit<CspClientConfig, 'hooks'>;
}

/** Derives JobsConfig; returns the problems instead of throwing so callers can merge them. */
export function jobsConfigFromEnv(parsed: JobsEnv & { readonly NODE_ENV: NodeEnv }): {
  config: JobsConfig;
  problems: string[];
} {
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
  const ms = (sec: number) => sec * 1000;
  const config: JobsConfig = {
    leaseTtlMs: ms(parsed.JOB_LEASE_TTL_SEC),
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
  };
  return { config, problems };
}
