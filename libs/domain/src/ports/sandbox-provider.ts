import type { ProviderSandbox } from '../sandbox/sandbox';

/** Retrying later may succeed (5xx, 429, timeout, network error, open breaker). */
export interface ProviderRetryableFailure {
  readonly kind: 'retryable';
  /** The provider never saw the call (open breaker, or the caller's rate gate refused). */
  readonly notSent?: true;
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

/**
 * `gone`: the provider's own answer accepted the delete (or its own 404 said already gone) and a
 * read-back no longer lists the account as active. Nothing else is proof of deletion.
 */
export type ProviderDeleteResult = { readonly kind: 'gone' } | ProviderFailure;

/** Does the provider still list one account as an active sandbox (a direct read)? */
export type ProviderAccountRead =
  | { readonly kind: 'active' }
  /** The provider's own answer does not list it as active (absent, or e.g. `deleting`). */
  | { readonly kind: 'inactive' }
  | ProviderFailure;

export interface ProviderDeleteOptions {
  /**
   * Awaited right before each DELETE request that is really sent, retries inside the provider
   * client included (the caller's rate limit); false: do not send (shutting down).
   */
  readonly beforeAttempt?: () => Promise<boolean>;
}

/** Outcome of the pre-delete hook (NIOSXaaS universal-service cleanup). */
export type ProviderPreDeleteResult =
  | { readonly kind: 'done'; readonly outcome: string; readonly deleted?: readonly unknown[] }
  | ProviderFailure;

export type ProviderUpstream = 'csp' | 'niosxaas';
/**
 * One circuit breaker per kind of provider operation (a delete outage must not blind the sync):
 * `list` (list pages, account read-backs), `delete` (account DELETE), `niosxaas` (pre-delete).
 */
export type ProviderBreaker = 'list' | 'delete' | 'niosxaas';
export const PROVIDER_BREAKERS: readonly ProviderBreaker[] = ['list', 'delete', 'niosxaas'];
export const PROVIDER_BREAKER_UPSTREAM: Readonly<Record<ProviderBreaker, ProviderUpstream>> = {
  list: 'csp',
  delete: 'csp',
  niosxaas: 'niosxaas',
};
export type ProviderBreakerState = 'closed' | 'open' | 'half-open';

/**
 * What the jobs need from the sandbox provider (Infoblox CSP): the one provider port.
 * `HttpCspClient` from `@broker/csp-client` implements it (with narrower result types and an
 * extra `onBreakerStateChange`); jobs and tests depend on this interface only.
 */
export interface SandboxProvider {
  /** Every active sandbox account, across all pages; throws when the list cannot be read. */
  listSandboxes(): Promise<ProviderSandbox[]>;
  /** Delete and verify (see `ProviderDeleteResult`). Never throws for provider or network failures. */
  deleteSandbox(externalId: string, options?: ProviderDeleteOptions): Promise<ProviderDeleteResult>;
  /** A direct read of one account (confirms an absence before acting on it). Never throws. */
  readAccount(externalId: string): Promise<ProviderAccountRead>;
  /** Pre-delete hook (NIOSXaaS); `done` also when disabled. Never throws. */
  cleanupUniversalServices(externalId: string): Promise<ProviderPreDeleteResult>;
  breakerState(breaker: ProviderBreaker): ProviderBreakerState;
}

export const SANDBOX_PROVIDER = Symbol.for('broker.SandboxProvider');
