import { badRequestOf as errorOf } from '../../../test/testing/bad-request';
import { parseAllocationHeaders, parseStudentId } from './allocation-headers';

describe('allocation headers', () => {
  it('trims values and defaults the idempotency key to the student id', () => {
    expect(
      parseAllocationHeaders({
        'x-instruqt-sandbox-id': ' stu-1 ',
        'x-instruqt-track-id': ' dns-lab ',
        'x-sandbox-name-prefix': '',
      }),
    ).toEqual({ studentId: 'stu-1', idempotencyKey: 'stu-1', trackName: 'dns-lab' });
    expect(parseAllocationHeaders({ 'x-track-id': 'legacy', 'idempotency-key': 'k-1' })).toEqual({
      studentId: 'legacy',
      idempotencyKey: 'k-1',
    });
  });

  it('reports a missing student id as MISSING_SANDBOX_ID', () => {
    expect(errorOf(() => parseStudentId({ 'x-track-id': '   ' }))).toMatchObject({
      code: 'MISSING_SANDBOX_ID',
    });
  });

  it('names the header actually used when the student id is invalid', () => {
    expect(errorOf(() => parseStudentId({ 'x-track-id': 'a\tb' }))).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Invalid header X-Track-ID',
      errors: [{ field: 'X-Track-ID', message: 'must contain printable ASCII characters only' }],
    });
  });

  it('accepts limits exactly and rejects one past them', () => {
    const ok = {
      'x-instruqt-sandbox-id': 's'.repeat(256),
      'x-sandbox-name-prefix': 'p'.repeat(128),
    };
    expect(parseAllocationHeaders(ok).namePrefix).toHaveLength(128);
    const tooLong = { ...ok, 'x-sandbox-name-prefix': 'p'.repeat(129) };
    expect(errorOf(() => parseAllocationHeaders(tooLong))).toMatchObject({
      message: 'Invalid header X-Sandbox-Name-Prefix',
    });
  });

  it('refuses a list where one id is expected, but not in the opaque idempotency key', () => {
    expect(
      errorOf(() => parseStudentId({ 'x-instruqt-sandbox-id': 'stu-A, stu-B' })),
    ).toMatchObject({
      errors: [{ field: 'X-Instruqt-Sandbox-ID', message: 'must be a single value (no commas)' }],
    });
    expect(
      errorOf(() => parseAllocationHeaders({ 'x-track-id': 's', 'x-instruqt-track-id': 'a,b' })),
    ).toMatchObject({ errors: [{ field: 'X-Instruqt-Track-ID' }] });
    expect(
      parseAllocationHeaders({ 'x-track-id': 's', 'idempotency-key': 'k,1' }).idempotencyKey,
    ).toBe('k,1');
  });
});
