import { decodeListCursor, encodeListCursor } from './list-cursor';

const KEYS = ['PK', 'SK', 'status_pk', 'status_sk'];
const lastKey = { PK: 'SBX#1', SK: 'META', status_pk: 'available#03', status_sk: 'lab#1' };

describe('list cursor codec', () => {
  it('round-trips a position as url-safe text', () => {
    const cursor = encodeListCursor('available|lab', { shard: 3, lastKey });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeListCursor(cursor, 'available|lab', KEYS)).toEqual({ shard: 3, lastKey });
    const next = encodeListCursor('available|', { shard: 4, lastKey: null });
    expect(decodeListCursor(next, 'available|', KEYS)).toEqual({ shard: 4, lastKey: null });
  });

  it('rejects cursors of another filter', () => {
    const cursor = encodeListCursor('available|lab', { shard: 3, lastKey });
    expect(() => decodeListCursor(cursor, 'allocated|lab', KEYS)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
  });

  it.each([
    ['garbage', 'not base64 json'],
    ['e30', '{}'],
    [Buffer.from('{"v":1,"f":"f","s":16,"k":null}').toString('base64url'), 'shard out of range'],
    [Buffer.from('{"v":1,"f":"f","s":1.5,"k":null}').toString('base64url'), 'fractional shard'],
    [Buffer.from('{"v":1,"f":"f","s":1,"k":{"PK":"x"}}').toString('base64url'), 'partial key'],
    [Buffer.from('{"v":1,"f":"f","s":1,"k":[1]}').toString('base64url'), 'array key'],
    ['a b', 'not url-safe'],
  ])('rejects %s (%s)', (raw) => {
    expect(() => decodeListCursor(raw, 'f', KEYS)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
  });
});
