import type { BreakerKind, BreakerState, CspOperation, Upstream } from './csp-client';

export interface NiosxaasConfig {
  enabled: boolean;
  /** Without `/v2`, e.g. `https://csp.infoblox.com`. */
  baseUrl: string;
  email: string;
  password: string;
  /** Only services with exactly this name are deleted; empty = every service. */
  serviceName: string;
  /** Report what would be deleted, delete nothing. */
  shadowMode: boolean;
  /** Per-call timeout. */
  timeoutMs: number;
}

/** One provider call as it ended, for metrics and logs. */
export interface CallEvent {
  upstream: Upstream;
  operation: CspOperation;
  /** `response`: the server answered (see `status`); the others never got an answer. */
  outcome: 'response' | 'timeout' | 'network-error' | 'breaker-open';
  status?: number;
  durationMs: number;
}

export interface RetryEvent {
  upstream: Upstream;
  operation: CspOperation;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface CspClientHooks {
  onCall?(event: CallEvent): void;
  onRetry?(event: RetryEvent): void;
  onBreakerStateChange?(breaker: BreakerKind, state: BreakerState): void;
}

export interface CspClientConfig {
  /** Includes `/v2`, e.g. `https://csp.infoblox.com/v2`. */
  baseUrl: string;
  /** Sent as `Authorization: Token <token>`. */
  token: string;
  timeouts?: {
    /** Per list-page call (default 15 s). */
    listMs?: number;
    /** Per delete call (default 15 s; real deletes take 5–10 s). */
    deleteMs?: number;
  };
  /** Applies to idempotent calls only (list pages, DELETEs). */
  retry?: {
    /** Retries after the first attempt (default 3). */
    maxRetries?: number;
    /** First back-off (default 200 ms); grows exponentially with decorrelated jitter. */
    initialDelayMs?: number;
    /** Back-off ceiling (default 10 s). */
    maxDelayMs?: number;
    /**
     * A `Retry-After` up to this long is waited out in-process (default 5 s); a longer one ends
     * the call with a retryable result carrying `retryAfterMs`, so the caller can reschedule.
     */
    maxRetryAfterMs?: number;
  };
  breaker?: {
    /** Consecutive failures that open the breaker (default 5). */
    threshold?: number;
    /** Time open before one trial call is let through (default 60 s). */
    halfOpenAfterMs?: number;
  };
  /** Page size asked for with `_limit` (default 100). */
  pageSize?: number;
  niosxaas?: Partial<NiosxaasConfig>;
  hooks?: CspClientHooks;
}

export interface ResolvedCspClientConfig {
  baseUrl: string;
  token: string;
  listTimeoutMs: number;
  deleteTimeoutMs: number;
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  pageSize: number;
  niosxaas: NiosxaasConfig;
  hooks: CspClientHooks;
}

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min) {
    throw new Error(`csp-client: ${name} must be a number >= ${min} (got ${String(value)})`);
  }
  return v;
}

/** Applies defaults and validates; throws with a message naming the bad setting. */
export function resolveCspClientConfig(config: CspClientConfig): ResolvedCspClientConfig {
  if (!/^https?:\/\//.test(config.baseUrl)) {
    throw new Error(`csp-client: baseUrl must be an http(s) URL (got "${config.baseUrl}")`);
  }
  const nios = config.niosxaas ?? {};
  const niosBase = nios.baseUrl ?? new URL(config.baseUrl).origin;
  if (nios.enabled && !/^https?:\/\//.test(niosBase)) {
    throw new Error(`csp-client: niosxaas.baseUrl must be an http(s) URL (got "${niosBase}")`);
  }
  return {
    baseUrl: config.baseUrl.replace(/\/+$/, ''),
    token: config.token,
    listTimeoutMs: positive('timeouts.listMs', config.timeouts?.listMs, 15_000),
    deleteTimeoutMs: positive('timeouts.deleteMs', config.timeouts?.deleteMs, 15_000),
    maxRetries: positive('retry.maxRetries', config.retry?.maxRetries, 3, 0),
    initialDelayMs: positive('retry.initialDelayMs', config.retry?.initialDelayMs, 200),
    maxDelayMs: positive('retry.maxDelayMs', config.retry?.maxDelayMs, 10_000),
    maxRetryAfterMs: positive('retry.maxRetryAfterMs', config.retry?.maxRetryAfterMs, 5_000, 0),
    breakerThreshold: positive('breaker.threshold', config.breaker?.threshold, 5),
    halfOpenAfterMs: positive('breaker.halfOpenAfterMs', config.breaker?.halfOpenAfterMs, 60_000),
    pageSize: positive('pageSize', config.pageSize, 100),
    niosxaas: {
      enabled: nios.enabled ?? false,
      baseUrl: niosBase.replace(/\/+$/, ''),
      email: nios.email ?? '',
      password: nios.password ?? '',
      serviceName: nios.serviceName ?? 'Instrqt-SaaS',
      shadowMode: nios.shadowMode ?? true,
      timeoutMs: positive('niosxaas.timeoutMs', nios.timeoutMs, 30_000),
    },
    hooks: config.hooks ?? {},
  };
}
