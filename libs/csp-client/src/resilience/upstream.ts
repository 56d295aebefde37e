import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  circuitBreaker,
  decorrelatedJitterGenerator,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import {
  BREAKER_UPSTREAM,
  type BreakerKind,
  type BreakerState,
  type CspOperation,
} from '../csp-client';
import type { CspClientHooks } from '../csp-client.config';
import { describeHttpFailure } from '../http/error-reason';
import { TransportError, httpCall, type HttpRequest, type HttpResponse } from '../http/http-call';
import { isProviderAnswer } from '../http/provider-answer';
import { parseRetryAfter } from '../http/retry-after';

/** How one resilient call ended. */
export type CallResult =
  | { readonly kind: 'response'; readonly response: HttpResponse }
  | { readonly kind: 'transport'; readonly error: TransportError }
  /** `sent`: attempts that reached the wire before the breaker refused. */
  | { readonly kind: 'open'; readonly retryAfterMs: number; readonly sent: number }
  /** The caller's gate (rate limit) refused an attempt; `sent` attempts went out before. */
  | { readonly kind: 'refused'; readonly sent: number };

/** Called before each attempt that will really be sent; false = do not send. */
export type AttemptGate = () => Promise<boolean>;

class GateRefused extends Error {
  override readonly name = 'GateRefused';
}

/**
 * A breaker's name: one of the broker client's kinds, or `lab-user` (the lab-user client's own
 * breaker, CSP upstream; not part of the domain's provider port, so not reported through
 * `onBreakerStateChange`).
 */
export type ResilienceName = BreakerKind | 'lab-user';

function upstreamOf(name: ResilienceName) {
  return name === 'lab-user' ? 'csp' : BREAKER_UPSTREAM[name];
}

export interface UpstreamOptions {
  /** The breaker's kind; its upstream (host) follows from it. */
  readonly name: ResilienceName;
  readonly breakerThreshold: number;
  readonly halfOpenAfterMs: number;
  readonly maxRetries: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly hooks: CspClientHooks;
}

/** The upstream is struggling: counts against the breaker (4xx other than 429 do not). */
export function isBreakerFailureStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** Worth another attempt later. */
export function isRetryableStatus(status: number): boolean {
  return isBreakerFailureStatus(status) || status === 408;
}

/** An answer that is not the provider's (proxy page, wrong content type) is a failure too. */
function isBreakerFailure(res: HttpResponse): boolean {
  return isBreakerFailureStatus(res.status) || !isProviderAnswer(res);
}

function isRetryable(res: HttpResponse): boolean {
  return isRetryableStatus(res.status) || !isProviderAnswer(res);
}

function asResponse(value: unknown): HttpResponse | undefined {
  return typeof value === 'object' && value !== null && 'status' in value
    ? (value as HttpResponse)
    : undefined;
}

/**
 * Exponential back-off with decorrelated jitter that never waits less than the server's
 * `Retry-After`.
 */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly exponential: IBackoffFactory<unknown>,
    private readonly previous?: IBackoff<unknown>,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.previous ? this.previous.next(context) : this.exponential.next(context);
    const response = 'value' in context.result ? asResponse(context.result.value) : undefined;
    const retryAfter = parseRetryAfter(response?.headers.get('retry-after')) ?? 0;
    const following = new RetryAfterBackoff(this.exponential, step);
    return {
      duration: Math.max(step.duration, retryAfter),
      next: (ctx) => following.next(ctx),
    };
  }
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * One kind of provider operation (list, delete, NIOSXaaS): its own circuit breaker plus, for idempotent calls, a retry
 * policy outside it, so every attempt counts towards the breaker and an opening breaker stops
 * the retries at once.
 */
export class UpstreamResilience {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly exponential: ExponentialBackoff<unknown>;
  private openedAt = 0;
  private readonly listeners = new Set<(state: BreakerState) => void>();

  constructor(private readonly options: UpstreamOptions) {
    // Transport errors are thrown; HTTP answers are returned and judged by status.
    const failures = handleWhen((err) => err instanceof TransportError).orWhenResult((r) => {
      const res = asResponse(r);
      return res !== undefined && isBreakerFailure(res);
    });
    this.breaker = circuitBreaker(failures, {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breaker.onStateChange((state) => {
      if (state === CircuitState.Open) this.openedAt = Date.now();
      const name = STATE_NAMES[state];
      if (options.name !== 'lab-user') options.hooks.onBreakerStateChange?.(options.name, name);
      for (const listener of this.listeners) listener(name);
    });
    this.exponential = new ExponentialBackoff({
      initialDelay: options.initialDelayMs,
      maxDelay: options.maxDelayMs,
      generator: decorrelatedJitterGenerator,
    });
  }

  /**
   * `open` only while calls are refused; once the open period has elapsed the next call is the
   * single trial, so this reports `half-open` even before that call arrives.
   */
  state(): BreakerState {
    const state = STATE_NAMES[this.breaker.state];
    if (
      state === 'open' &&
      this.breaker.state === CircuitState.Open &&
      this.remainingOpenMs() === 0
    ) {
      return 'half-open';
    }
    return state;
  }

  onStateChange(listener: (state: BreakerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The breaker would refuse a call right now (open, and the open period not yet over). */
  private refusing(): boolean {
    return this.breaker.state === CircuitState.Open && this.remainingOpenMs() > 0;
  }

  /** Time until the open breaker lets a trial through. */
  remainingOpenMs(): number {
    return Math.max(0, this.openedAt + this.options.halfOpenAfterMs - Date.now());
  }

  async call(
    operation: CspOperation,
    request: HttpRequest,
    idempotent: boolean,
    gate?: AttemptGate,
  ): Promise<CallResult> {
    const { hooks } = this.options;
    const name = upstreamOf(this.options.name);
    let sent = 0;
    const attempt = async (): Promise<HttpResponse> => {
      sent++;
      const started = Date.now();
      try {
        const response = await httpCall(request);
        hooks.onCall?.({
          upstream: name,
          operation,
          outcome: 'response',
          status: response.status,
          durationMs: Date.now() - started,
        });
        return response;
      } catch (err) {
        if (err instanceof TransportError) {
          hooks.onCall?.({
            upstream: name,
            operation,
            outcome: err.kind,
            durationMs: Date.now() - started,
          });
        }
        throw err;
      }
    };
    const guarded = async (): Promise<HttpResponse> => {
      // The gate (the caller's rate limit) is passed right before each attempt the breaker will
      // let through, retries included, so every request on the wire holds its own token.
      if (gate && !this.refusing()) {
        if (!(await gate())) throw new GateRefused('gate refused the attempt');
      }
      return this.breaker.execute(attempt);
    };

    try {
      const response = idempotent
        ? await this.retryPolicy(operation).execute(guarded)
        : await guarded();
      return { kind: 'response', response };
    } catch (err) {
      if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
        hooks.onCall?.({ upstream: name, operation, outcome: 'breaker-open', durationMs: 0 });
        return { kind: 'open', retryAfterMs: this.remainingOpenMs(), sent };
      }
      if (err instanceof GateRefused) return { kind: 'refused', sent };
      if (err instanceof TransportError) return { kind: 'transport', error: err };
      throw err;
    }
  }

  private retryPolicy(operation: CspOperation) {
    const { maxRetryAfterMs, maxRetries, hooks } = this.options;
    const name = upstreamOf(this.options.name);
    const handler = handleWhen((err) => err instanceof TransportError).orWhenResult((r) => {
      const res = asResponse(r);
      if (!res || !isRetryable(res)) return false;
      // A long Retry-After is the caller's to honour (reschedule), not ours to sleep through.
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
      return retryAfter === undefined || retryAfter <= maxRetryAfterMs;
    });
    const policy = retry(handler, {
      maxAttempts: maxRetries,
      backoff: new RetryAfterBackoff(this.exponential),
    });
    if (hooks.onRetry) {
      policy.onRetry((event) => {
        const res = 'value' in event ? asResponse(event.value) : undefined;
        const reason =
          'error' in event
            ? event.error.message
            : res
              ? describeHttpFailure(res.status, res.headers.get('content-type'), res.body)
              : 'unknown';
        hooks.onRetry?.({
          upstream: name,
          operation,
          attempt: event.attempt,
          delayMs: event.delay,
          reason,
        });
      });
    }
    return policy;
  }
}
