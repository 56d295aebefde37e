import { SHARD_COUNT } from '../schema/table-schema';
import { ALL_SHARDS, fnv1a32, shardNumberOf, shardOf } from './shard';

describe('shard hash', () => {
  it('is the standard 32-bit FNV-1a (stable across processes)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('labels shards with two digits within range', () => {
    expect(ALL_SHARDS).toHaveLength(SHARD_COUNT);
    expect(ALL_SHARDS[0]).toBe('00');
    expect(ALL_SHARDS[15]).toBe('15');
    expect(shardOf('2026839')).toMatch(/^(0\d|1[0-5])$/);
    expect(shardOf('2026839')).toBe(shardOf('2026839'));
  });

  it('spreads sequential numeric ids over every shard', () => {
    const counts = new Array<number>(SHARD_COUNT).fill(0);
    for (let i = 0; i < 16_000; i += 1) {
      const shard = shardNumberOf(String(2_000_000 + i));
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1200);
    }
  });
});
