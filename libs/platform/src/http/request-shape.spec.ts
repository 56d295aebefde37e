import { jsonNestsDeeperThan, repeatedHeaders, singleValuedHeaderMap } from './request-shape';

describe('repeatedHeaders', () => {
  const single = singleValuedHeaderMap(['Authorization', 'X-Instruqt-Sandbox-ID']);

  it('names single-valued headers sent more than once, whatever their case', () => {
    const raw = ['x-instruqt-sandbox-id', 'a', 'Accept', '*/*', 'X-INSTRUQT-SANDBOX-ID', 'b'];
    expect(repeatedHeaders(raw, single)).toEqual(['X-Instruqt-Sandbox-ID']);
  });

  it('lets list-valued headers repeat and a comma inside one value pass', () => {
    const raw = ['Accept', 'a', 'Accept', 'b', 'X-Instruqt-Sandbox-ID', 'stu-A, stu-B'];
    expect(repeatedHeaders(raw, single)).toEqual([]);
  });

  it('names a header once however often it repeats', () => {
    const raw = ['Authorization', 'x', 'authorization', 'y', 'Authorization', 'z'];
    expect(repeatedHeaders(raw, single)).toEqual(['Authorization']);
  });
});

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects together', () => {
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ a: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.stringify({ a: 'say \\"[[[[\\" \\\\' }), 1)).toBe(false);
    expect(jsonNestsDeeperThan('["\\"", [[1]]]', 2)).toBe(true);
  });

  it('stops at the first level too deep in a 10 KB body without recursion', () => {
    expect(jsonNestsDeeperThan('['.repeat(10_000), 32)).toBe(true);
    expect(jsonNestsDeeperThan('[1,2,3]'.repeat(1_000), 1)).toBe(false);
  });
});
