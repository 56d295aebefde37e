import { backoffSeconds } from './backoff';
import { forEachBounded } from './bounded';
import { TokenBucket } from './token-bucket';

/** The bucket's wait on Jest's fake timers (which do not patch node:timers/promises). */
const fakeSleep = (ms: number, _value: undefined, options: { signal?: AbortSignal }) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    options.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });

describe('TokenBucket', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('spaces concurrent callers at 1/rate with capacity 1', async () => {
    const bucket = new TokenBucket({
      ratePerSec: 4,
      paddingMs: 0,
      now: () => Date.now(),
      sleep: fakeSleep,
    });
    const granted: number[] = [];
    const takers = Array.from({ length: 5 }, () =>
      bucket.take().then(() => granted.push(Date.now() - 1_000_000)),
    );
    await jest.advanceTimersByTimeAsync(2_000);
    await Promise.all(takers);
    expect(granted).toEqual([0, 250, 500, 750, 1000]);
  });

  it('grants its first token only after firstTokenAfterMs (a restarted process waits)', async () => {
    const bucket = new TokenBucket({
      ratePerSec: 4,
      paddingMs: 0,
      firstTokenAfterMs: 1_000,
      now: () => Date.now(),
      sleep: fakeSleep,
    });
    const granted: number[] = [];
    const takers = Array.from({ length: 3 }, () =>
      bucket.take().then(() => granted.push(Date.now() - 1_000_000)),
    );
    await jest.advanceTimersByTimeAsync(2_000);
    await Promise.all(takers);
    expect(granted).toEqual([1000, 1250, 1500]);
  });

  it('allows a burst up to its capacity, then the rate; pauses on request', async () => {
    const bucket = new TokenBucket({
      ratePerSec: 2,
      capacity: 3,
      paddingMs: 0,
      now: () => Date.now(),
      sleep: fakeSleep,
    });
    const granted: number[] = [];
    const takers = Array.from({ length: 4 }, () =>
      bucket.take().then(() => granted.push(Date.now() - 1_000_000)),
    );
    await jest.advanceTimersByTimeAsync(5_000);
    await Promise.all(takers);
    expect(granted).toEqual([0, 0, 0, 500]);

    bucket.pauseFor(3_000);
    const t = Date.now();
    const paused = bucket.take().then(() => Date.now() - t);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await paused).toBe(3_000);
  });

  it('returns false when the wait is aborted', async () => {
    const bucket = new TokenBucket({ ratePerSec: 1, now: () => Date.now(), sleep: fakeSleep });
    await bucket.take();
    const abort = new AbortController();
    const waiting = bucket.take(abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
  });
});

describe('backoffSeconds', () => {
  it('doubles from the base up to the cap and respects Retry-After', () => {
    const policy = { baseSec: 30, maxSec: 600 };
    expect([1, 2, 3, 6].map((n) => backoffSeconds(n, policy))).toEqual([30, 60, 120, 600]);
    expect(backoffSeconds(1, policy, 90_500)).toBe(91);
  });
});

describe('forEachBounded', () => {
  it('never runs more than the limit at once and stops when asked', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachBounded(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await Promise.resolve();
        inFlight -= 1;
        done.push(i);
      },
      () => done.length >= 10,
    );
    expect(peak).toBe(3);
    expect(done.length).toBeGreaterThanOrEqual(10);
    expect(done.length).toBeLessThan(13);
  });
});
