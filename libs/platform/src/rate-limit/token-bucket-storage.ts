import type { ThrottlerStorage } from '@nestjs/throttler';

/** What @nestjs/throttler expects back from its storage. */
export interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

export interface TokenBucketStorageOptions {
  /** Most buckets kept; the least recently used is dropped beyond this. */
  readonly maxKeys: number;
  readonly now?: () => number;
}

/**
 * A token bucket per key behind @nestjs/throttler's storage interface. The throttler's
 * `(limit, ttl)` are read as a bucket of `limit` tokens refilled at `limit` per `ttl` ms, so
 * `limit = burst, ttl = burst / ratePerSec * 1000` gives a `burst` / `ratePerSec` bucket.
 *
 * Memory is bounded: a Map in least-recently-used order holds at most `maxKeys` buckets. Dropping
 * a bucket that has been idle for `ttl` loses nothing (it would be full again); only more than
 * `maxKeys` callers active within one refill period make eviction hand a caller a fresh bucket.
 * The answer maps onto the throttler's fields: `totalHits = limit - tokens left` (so its
 * `RateLimit-Remaining` is the tokens left), `timeToExpire` = seconds until the bucket is full
 * (`RateLimit-Reset`), `timeToBlockExpire` = seconds until one token is back (`Retry-After`).
 */
export class TokenBucketStorage implements ThrottlerStorage {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: TokenBucketStorageOptions) {
    this.maxKeys = Math.max(1, options.maxKeys);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Synchronous core; `increment` wraps it for the throttler's async interface. */
  take(key: string, ttlMs: number, limit: number): ThrottlerStorageRecord {
    const now = this.now();
    const perMs = limit / Math.max(ttlMs, 1);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: limit, atMs: now };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next();
        if (oldest.done !== true) this.buckets.delete(oldest.value);
      }
    } else {
      // Re-insert: Map iteration order is insertion order, so the head is the least recent.
      this.buckets.delete(key);
      bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.atMs) * perMs);
      bucket.atMs = now;
    }
    this.buckets.set(key, bucket);
    const isBlocked = bucket.tokens < 1;
    if (!isBlocked) bucket.tokens -= 1;
    const remaining = Math.floor(bucket.tokens);
    return {
      totalHits: isBlocked ? limit + 1 : limit - remaining,
      timeToExpire: Math.ceil((limit - bucket.tokens) / perMs / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) : 0,
    };
  }

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    return Promise.resolve(this.take(key, ttl, limit));
  }
}
