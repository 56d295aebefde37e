import { TokenBucketStorage } from './token-bucket-storage';

describe('TokenBucketStorage', () => {
  let now = 1_000_000;
  const clock = () => now;
  // 5 tokens refilled at 5 per 1000 ms: a burst of 5, 5 requests/s.
  const take = (storage: TokenBucketStorage, key = 'k') => storage.take(key, 1000, 5);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a burst through, then blocks with Retry-After until a token is back', () => {
    const storage = new TokenBucketStorage({ maxKeys: 10, now: clock });
    const first = take(storage);
    expect(first).toEqual({
      totalHits: 1,
      timeToExpire: 1,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    for (let i = 0; i < 4; i += 1) expect(take(storage).isBlocked).toBe(false);
    const blocked = take(storage);
    expect(blocked.isBlocked).toBe(true);
    expect(blocked.totalHits).toBe(6);
    expect(blocked.timeToBlockExpire).toBe(1);
    now += 199;
    expect(take(storage).isBlocked).toBe(true);
    now += 1;
    // 200 ms at 5/s refills one token.
    const refilled = take(storage);
    expect(refilled.isBlocked).toBe(false);
    expect(5 - refilled.totalHits).toBe(0);
  });

  it('refills at the steady rate and never above the burst', () => {
    const storage = new TokenBucketStorage({ maxKeys: 10, now: clock });
    for (let i = 0; i < 5; i += 1) take(storage);
    now += 10_000;
    const record = take(storage);
    expect(5 - record.totalHits).toBe(4);
  });

  it('keeps separate buckets per key', () => {
    const storage = new TokenBucketStorage({ maxKeys: 10, now: clock });
    for (let i = 0; i < 5; i += 1) take(storage, 'a');
    expect(take(storage, 'a').isBlocked).toBe(true);
    expect(take(storage, 'b').isBlocked).toBe(false);
  });

  it('holds at most maxKeys buckets and drops the least recently used', () => {
    const storage = new TokenBucketStorage({ maxKeys: 3, now: clock });
    for (let i = 0; i < 5; i += 1) take(storage, 'hot');
    take(storage, 'x');
    take(storage, 'y');
    // 'hot' is used again, so 'x' is now the least recent and goes first.
    expect(take(storage, 'hot').isBlocked).toBe(true);
    for (let i = 0; i < 1000; i += 1) take(storage, `caller-${i % 2}`);
    expect(storage.size).toBe(3);
    take(storage, 'z');
    expect(storage.size).toBe(3);
    // 'hot' was the least recently used when 'z' arrived: it starts over with a full bucket.
    expect(take(storage, 'hot').isBlocked).toBe(false);
  });

  it('answers through the throttler interface', async () => {
    const storage = new TokenBucketStorage({ maxKeys: 10, now: clock });
    await expect(storage.increment('k', 1000, 5)).resolves.toMatchObject({ isBlocked: false });
  });
});
