import { ApiError } from '../api/api-error';
import { errorMessage, parseProblem, problemMessage } from './problem-message';

describe('problem body to message', () => {
  it('uses the detail, then the code and request id', () => {
    const problem = parseProblem(
      JSON.stringify({
        title: 'Unauthorized',
        status: 401,
        detail: 'Invalid token',
        code: 'UNAUTHORIZED',
        request_id: 'r-1',
      }),
    );
    expect(problemMessage(401, problem)).toBe('Invalid token (UNAUTHORIZED, request r-1)');
  });

  it('falls back to the title, then to a message per status', () => {
    expect(problemMessage(403, { title: 'Forbidden', code: 'FORBIDDEN' })).toBe(
      'Forbidden (FORBIDDEN)',
    );
    expect(problemMessage(503, null)).toBe('The broker is unavailable; try again shortly');
    expect(problemMessage(418, null)).toBe('HTTP 418');
  });

  it('ignores bodies that are not problem objects', () => {
    expect(parseProblem('')).toBeNull();
    expect(parseProblem('<html>bad gateway</html>')).toBeNull();
    expect(parseProblem('[1,2]')).toBeNull();
    expect(parseProblem('{"detail": 5, "code": "X"}')).toEqual(
      expect.objectContaining({ detail: undefined, code: 'X' }),
    );
  });

  it("keeps INSUFFICIENT_CAPACITY's figures", () => {
    const body =
      '{"code":"INSUFFICIENT_CAPACITY","detail":"Not enough","shortfall":12,"available":38,"committed":0,"requested":50}';
    expect(parseProblem(body)).toMatchObject({
      code: 'INSUFFICIENT_CAPACITY',
      shortfall: 12,
      available: 38,
      committed: 0,
      requested: 50,
    });
    expect(parseProblem('{"code":"X"}')).not.toHaveProperty('shortfall');
  });

  it('describes any thrown value', () => {
    expect(errorMessage(new ApiError(409, null, 'Conflict with the current state'))).toBe(
      'Conflict with the current state',
    );
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(
      'The broker did not answer (Failed to fetch)',
    );
    expect(errorMessage('boom')).toBe('boom');
  });
});
