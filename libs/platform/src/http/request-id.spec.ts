import { resolveRequestId } from './request-id';

describe('resolveRequestId', () => {
  it('keeps safe ids and replaces unsafe, long, repeated or missing ones with a UUID', () => {
    expect(resolveRequestId('trace-1.a_B')).toBe('trace-1.a_B');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), ['a', 'b'], 'é']) {
      expect(resolveRequestId(bad)).toMatch(uuid);
    }
    expect(resolveRequestId('x'.repeat(128))).toHaveLength(128);
  });
});
