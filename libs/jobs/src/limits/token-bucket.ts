import { setTimeout as sleep } from 'node:timers/promises';

export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly ratePerSec: number;
  /**
   * Tokens that may be saved up (default 1: calls at least 1/rate apart, so never more than
   * `ratePerSec` calls start within any one second).
   */
  readonly capacity?: number;
  /**
   * Extra spacing per token so that network jitter between us and the provider cannot squeeze
   * one call too many into the provider's one-second window (default 5 ms).
   */
  readonly paddingMs?: number;
  /**
   * The first token is granted this long after the bucket is made (default 0). A process that
   * starts or restarts then cannot add its first call to the last second of the process before
   * it, so the rate holds across restarts, not only within one process.
   */
  readonly firstTokenAfterMs?: number;
  readonly now?: () => number;
  /** How to wait (tests drive fake timers); node:timers/promises' setTimeout by default. */
  readonly sleep?: (
    ms: number,
    value: undefined,
    options: { signal?: AbortSignal },
  ) => Promise<unknown>;
}

/**
 * A token bucket shared by concurrent callers. Each `take` reserves the next free slot at once
 * (first come, first served) and waits for it, so N workers together still respect the rate.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly sleep: NonNullable<TokenBucketOptions['sleep']>;
  /** When the bucket would be empty again if no more tokens were taken (GCRA's TAT). */
  private theoreticalArrival = 0;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSec > 0)) throw new Error('TokenBucket: ratePerSec must be > 0');
    this.intervalMs = 1000 / options.ratePerSec + (options.paddingMs ?? 5);
    this.capacity = Math.max(1, Math.floor(options.capacity ?? 1));
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? sleep;
    const delay = options.firstTokenAfterMs ?? 0;
    if (delay > 0) this.theoreticalArrival = this.now() + delay;
  }

  /** Resolves true when the caller may go, false when `signal` aborted the wait. */
  async take(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    const now = this.now();
    const burst = (this.capacity - 1) * this.intervalMs;
    const at = Math.max(now, this.theoreticalArrival - burst);
    this.theoreticalArrival = Math.max(now, this.theoreticalArrival) + this.intervalMs;
    const waitMs = at - now;
    if (waitMs <= 0) return true;
    try {
      await this.sleep(Math.ceil(waitMs), undefined, signal ? { signal } : {});
      return true;
    } catch (error) {
      if (signal?.aborted) return false;
      throw error;
    }
  }

  /** Provider said "slow down" (429 + Retry-After): push every later slot back. */
  pauseFor(ms: number): void {
    const burst = (this.capacity - 1) * this.intervalMs;
    this.theoreticalArrival = Math.max(this.theoreticalArrival, this.now() + ms + burst);
  }
}
