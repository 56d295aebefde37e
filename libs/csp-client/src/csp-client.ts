/*
 * The client's vocabulary: upstreams, breaker states, operation names, result and failure types,
 * and `CspClientError`. The port itself is the domain's `SandboxProvider`, which `HttpCspClient`
 * implements; these types are its narrower results.
 */

/** The two upstreams (hosts/APIs) the client talks to. */
export type Upstream = 'csp' | 'niosxaas';

/**
 * One circuit breaker per kind of provider operation, so a delete outage does not blind the
 * sync: `list` (account list pages and the read-back of one account), `delete` (account
 * DELETE), `niosxaas` (the whole universal-service pre-delete cleanup).
 */
export type BreakerKind = 'list' | 'delete' | 'niosxaas';

export const BREAKER_UPSTREAM: Readonly<Record<BreakerKind, Upstream>> = {
  list: 'csp',
  delete: 'csp',
  niosxaas: 'niosxaas',
};

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Provider operations, named as the simulator's fault injection names them. */
export type CspOperation =
  | 'list'
  | 'read_account'
  | 'delete'
  | 'sign_in'
  | 'account_switch'
  | 'services_list'
  | 'service_delete'
  /** Lab user (reference §5.8): `GET /v2/groups`, users create/list, password, delete. */
  | 'groups_list'
  | 'user_create'
  | 'users_list'
  | 'user_password'
  | 'user_delete';

/** Retrying later may succeed (5xx, 429, timeout, network error, open breaker). */
export interface RetryableFailure {
  readonly kind: 'retryable';
  /** The provider never saw the call (open breaker or a refused rate gate before any attempt). */
  readonly notSent?: true;
  /** From `Retry-After`, or the open breaker's remaining time. */
  readonly retryAfterMs?: number;
  readonly reason: string;
  readonly status?: number;
}

/** Retrying will not help without someone changing something (4xx other than 408/429). */
export interface PermanentFailure {
  readonly kind: 'permanent';
  readonly reason: string;
  readonly status?: number;
}

export type DeleteSandboxResult = { readonly kind: 'gone' } | RetryableFailure | PermanentFailure;

export interface UniversalService {
  /** `infra/universal_service/<uuid>`. */
  readonly id: string;
  readonly name: string;
}

export interface NiosCleanupDone {
  readonly kind: 'done';
  /**
   * `cleaned`: matching services deleted; `nothing-to-delete`: none matched;
   * `shadow`: shadow mode, nothing deleted (see `matched`); `disabled`: NIOSXaaS is off.
   */
  readonly outcome: 'cleaned' | 'nothing-to-delete' | 'shadow' | 'disabled';
  /** Every service found in the account. */
  readonly found: readonly UniversalService[];
  /** Services whose name matched the configured one (what would be / was deleted). */
  readonly matched: readonly UniversalService[];
  /** Services actually deleted (404 counts: already gone). Empty in shadow mode. */
  readonly deleted: readonly UniversalService[];
}

export type NiosCleanupResult = NiosCleanupDone | RetryableFailure | PermanentFailure;

export type BreakerListener = (breaker: BreakerKind, state: BreakerState) => void;

/** The read-back of one account: does the provider still list it as an active sandbox? */
export type AccountReadResult =
  | { readonly kind: 'active' }
  /** Not listed, or listed in another state (e.g. `deleting`). */
  | { readonly kind: 'inactive' }
  | RetryableFailure
  | PermanentFailure;

/** Called before each DELETE attempt (retries included); false = do not send (shutting down). */
export interface DeleteOptions {
  readonly beforeAttempt?: () => Promise<boolean>;
}

/** Thrown by `listSandboxes` only. */
export class CspClientError extends Error {
  override readonly name = 'CspClientError';
  constructor(readonly failure: RetryableFailure | PermanentFailure) {
    super(failure.reason);
  }
  get kind(): 'retryable' | 'permanent' {
    return this.failure.kind;
  }
  get retryAfterMs(): number | undefined {
    return this.failure.kind === 'retryable' ? this.failure.retryAfterMs : undefined;
  }
}
