import { FaultRegistry, FaultValidationError, parseFaultList, parseFaultSpec } from './faults';

describe('parseFaultSpec', () => {
  it('accepts camelCase and snake_case fields', () => {
    expect(
      parseFaultSpec({
        operation: 'delete',
        status: 429,
        retry_after: 3,
        latency_ms: 10,
        count: 2,
      }),
    ).toEqual({ operation: 'delete', status: 429, retryAfter: 3, latencyMs: 10, count: 2 });
    expect(parseFaultSpec({ status: 500, html: true })).toEqual({
      operation: '*',
      status: 500,
      html: true,
    });
  });

  it.each([
    [{ operation: 'explode', status: 500 }, /operation must be one of/],
    [{ status: 99 }, /status must be an integer HTTP status/],
    [{ status: 500, probability: 1.5 }, /probability must be a number between 0 and 1/],
    [{ status: 500, count: 0 }, /count must be an integer > 0/],
    [{ operation: 'list' }, /at least one of status, latencyMs or hang/],
    [{ status: 503, retryAfter: -1 }, /retryAfter must be seconds/],
    [{ hang: 'yes' }, /hang must be a boolean/],
    ['nope', /must be a JSON object/],
  ])('rejects %j', (input, message) => {
    expect(() => parseFaultSpec(input)).toThrow(message);
  });

  it('names the index of a bad entry in a list', () => {
    expect(() => parseFaultList([{ status: 500 }, { status: 1 }])).toThrow(/faults\[1\]/);
    expect(() => parseFaultList({})).toThrow(FaultValidationError);
  });
});

describe('FaultRegistry', () => {
  it('fires a counted fault N times, then removes it', () => {
    const faults = new FaultRegistry();
    faults.add({ operation: 'delete', status: 500, count: 2 });
    expect(faults.next('delete')?.status).toBe(500);
    expect(faults.next('list')).toBeUndefined();
    expect(faults.next('delete')?.remaining).toBe(0);
    expect(faults.next('delete')).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('fires with the given probability', () => {
    const rolls = [0.1, 0.9, 0.49, 0.5];
    const faults = new FaultRegistry(() => rolls.shift() ?? 1);
    faults.add({ operation: '*', status: 503, probability: 0.5 });
    const fired = [1, 2, 3, 4].map(() => faults.next('list') !== undefined);
    expect(fired).toEqual([true, false, true, false]);
    expect(faults.list()[0]?.hits).toBe(2);
  });

  it('matches an account by uuid or full path and applies the first firing fault', () => {
    const faults = new FaultRegistry();
    faults.add({ operation: 'delete', status: 500, accountId: 'identity/accounts/abc' });
    faults.add({ operation: '*', latencyMs: 5 });
    expect(faults.next('delete', 'abc')?.status).toBe(500);
    expect(faults.next('delete', 'other')?.latencyMs).toBe(5);
    expect(faults.next('delete')?.status).toBeUndefined();
  });

  it('removes one fault by id and clears all', () => {
    const faults = new FaultRegistry();
    const a = faults.add({ operation: 'list', status: 500 });
    faults.add({ operation: 'list', status: 502 });
    expect(faults.remove(a.id)).toBe(true);
    expect(faults.remove(a.id)).toBe(false);
    expect(faults.next('list')?.status).toBe(502);
    faults.clear();
    expect(faults.next('list')).toBeUndefined();
  });
});
