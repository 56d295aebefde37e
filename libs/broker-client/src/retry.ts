import { BrokerProblem } from './problem';

export interface RetryPolicy {
  /** Attempts after the first (0: no retries). */
  readonly retries: number;
  /** Back-off cap grows as base · 2^attempt, jittered over [0, cap] ("full jitter"). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this ends the retries instead of sleeping through it. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

export interface RetryHooks {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Called before each wait: the failure, the attempt that failed (1-based) and the wait. */
  readonly onRetry?: (problem: BrokerProblem, attempt: number, delayMs: number) => void;
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Delay before the next attempt: the server's `Retry-After` when it sent one (never sooner), else
 * full jitter. Null when the server asks for a longer wait than the policy accepts.
 */
export function retryDelayMs(
  problem: BrokerProblem,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * cap);
  if (problem.retryAfterSec === null) return jittered;
  const asked = problem.retryAfterSec * 1000;
  if (asked > policy.maxRetryAfterMs) return null;
  // A little jitter on top, so a class of students told "retry in 1 s" do not come back together.
  return asked + Math.round(random() * Math.min(1000, cap));
}

/**
 * Runs `call` until it succeeds, fails with a non-transient problem, or the retries are spent.
 * A tiny loop rather than p-retry: p-retry is ESM-only (v9 needs Node 22) and has no notion of
 * `Retry-After`, which is the one rule this loop must get right.
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  const wait = hooks.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (!(error instanceof BrokerProblem) || !error.transient || attempt > policy.retries) {
        throw error;
      }
      const delay = retryDelayMs(error, attempt, policy, hooks.random);
      if (delay === null) throw error;
      hooks.onRetry?.(error, attempt, delay);
      await wait(delay);
    }
  }
}
