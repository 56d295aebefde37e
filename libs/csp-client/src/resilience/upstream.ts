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
import type { BreakerState, CspOperation, Upstream } from '../csp-client';
import type { CspClientHooks } from '../csp-client.config';
import { describeHttpFailure } from '../http/error-reason';
import { TransportError, httpCall, type HttpRequest, type HttpResponse } from '../http/http-call';
import { parseRetryAfter } from '../http/retry-after';

/** How one resilient call ended. */
export type CallResult =
  | { readonly kind: 'response'; readonly response: HttpResponse }
  | { readonly kind: 'transport'; readonly error: TransportError }
  | { readonly kind: 'open'; readonly retryAfterMs: number };

export interface UpstreamOptions {
  readonly name: Upstream;
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
 * One upstream (CSP or NIOSXaaS): a shared circuit breaker plus, for idempotent calls, a retry
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
      return res !== undefined && isBreakerFailureStatus(res.status);
    });
    this.breaker = circuitBreaker(failures, {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breaker.onStateChange((state) => {
      if (state === CircuitState.Open) this.openedAt = Date.now();
      const name = STATE_NAMES[state];
      options.hooks.onBreakerStateChange?.(options.name, name);
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

  /** Time until the open breaker lets a trial through. */
  remainingOpenMs(): number {
    return Math.max(0, this.openedAt + this.options.halfOpenAfterMs - Date.now());
  }

  async call(
    operation: CspOperation,
    request: HttpRequest,
    idempotent: boolean,
  ): Promise<CallResult> {
    const { hooks, name } = this.options;
    const attempt = async (): Promise<HttpResponse> => {
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
    const guarded = (): Promise<HttpResponse> => this.breaker.execute(attempt);

    try {
      const response = idempotent
        ? await this.retryPolicy(operation).execute(guarded)
        : await guarded();
      return { kind: 'response', response };
    } catch (err) {
      if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
        hooks.onCall?.({ upstream: name, operation, outcome: 'breaker-open', durationMs: 0 });
        return { kind: 'open', retryAfterMs: this.remainingOpenMs() };
      }
      if (err instanceof TransportError) return { kind: 'transport', error: err };
      throw err;
    }
  }

  private retryPolicy(operation: CspOperation) {
    const { maxRetryAfterMs, maxRetries, hooks, name } = this.options;
    const handler = handleWhen((err) => err instanceof TransportError).orWhenResult((r) => {
      const res = asResponse(r);
      if (!res || !isRetryableStatus(res.status)) return false;
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
