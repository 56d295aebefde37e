import type { ProviderSandbox } from '../sandbox/sandbox';

/** Retrying later may succeed (5xx, 429, timeout, network error, open breaker). */
export interface ProviderRetryableFailure {
  readonly kind: 'retryable';
  /** From `Retry-After`, or the open breaker's remaining time. */
  readonly retryAfterMs?: number;
  readonly reason: string;
  /** Absent when no HTTP answer was received (timeout, network, breaker open). */
  readonly status?: number;
}

/** Retrying will not help until someone changes something (4xx other than 408/429). */
export interface ProviderPermanentFailure {
  readonly kind: 'permanent';
  readonly reason: string;
  readonly status?: number;
}

export type ProviderFailure = ProviderRetryableFailure | ProviderPermanentFailure;

/** `gone`: the account is deleted (a 404 counts: already gone). */
export type ProviderDeleteResult = { readonly kind: 'gone' } | ProviderFailure;

/** Outcome of the pre-delete hook (NIOSXaaS universal-service cleanup). */
export type ProviderPreDeleteResult =
  | { readonly kind: 'done'; readonly outcome: string; readonly deleted?: readonly unknown[] }
  | ProviderFailure;

export type ProviderUpstream = 'csp' | 'niosxaas';
export type ProviderBreakerState = 'closed' | 'open' | 'half-open';

/**
 * What the jobs need from the sandbox provider (Infoblox CSP): the one provider port.
 * `HttpCspClient` from `@broker/csp-client` implements it (with narrower result types and an
 * extra `onBreakerStateChange`); jobs and tests depend on this interface only.
 */
export interface SandboxProvider {
  /** Every active sandbox account, across all pages; throws when the list cannot be read. */
  listSandboxes(): Promise<ProviderSandbox[]>;
  /** Never throws for provider or network failures. */
  deleteSandbox(externalId: string): Promise<ProviderDeleteResult>;
  /** Pre-delete hook (NIOSXaaS); `done` also when disabled. Never throws. */
  cleanupUniversalServices(externalId: string): Promise<ProviderPreDeleteResult>;
  breakerState(upstream: ProviderUpstream): ProviderBreakerState;
}

export const SANDBOX_PROVIDER = Symbol.for('broker.SandboxProvider');
