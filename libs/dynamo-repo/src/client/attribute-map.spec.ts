import { fromAttributeMap, toAttributeMap } from './attribute-map';

describe('attribute maps (the DocumentClient marshalling, for low-level commands)', () => {
  it('writes strings, numbers, lists and maps, and leaves undefined attributes out', () => {
    expect(
      toAttributeMap({ s: 'a', n: 3, l: [], m: { k: 'v' }, gone: undefined, nil: null }),
    ).toEqual({
      s: { S: 'a' },
      n: { N: '3' },
      l: { L: [] },
      m: { M: { k: { S: 'v' } } },
      nil: { NULL: true },
    });
  });

  it('reads numbers back as numbers and keeps undefined as undefined', () => {
    expect(fromAttributeMap({ n: { N: '42' }, s: { S: 'x' } })).toEqual({ n: 42, s: 'x' });
    expect(fromAttributeMap(undefined)).toBeUndefined();
  });
});
