import { describeHttpFailure, registerSecret } from './error-reason';
import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['3', 3000],
    ['0', 0],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
  ])('%s -> %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
  it.each([null, undefined, '', 'soon', '-5'])('%s -> undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('describeHttpFailure', () => {
  it('never repeats a registered credential or a JWT an error page echoes back', () => {
    registerSecret('csp-token-abcdef123456');
    const echoed =
      '<html><body>Bad request: Authorization: Token csp-token-abcdef123456, jwt ' +
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl</body></html>';
    const reason = describeHttpFailure(400, 'text/html', echoed);
    expect(reason).toContain('Authorization: Token ***');
    expect(reason).not.toContain('csp-token-abcdef123456');
    expect(reason).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(
      describeHttpFailure(500, 'application/json', '{"message":"csp-token-abcdef123456"}'),
    ).toBe('HTTP 500: ***');
  });

  it('uses the JSON error message in several shapes', () => {
    expect(describeHttpFailure(500, 'application/json', '{"error":{"message":"boom"}}')).toBe(
      'HTTP 500: boom',
    );
    expect(describeHttpFailure(400, 'application/json', '{"error":[{"message":"bad id"}]}')).toBe(
      'HTTP 400: bad id',
    );
    expect(describeHttpFailure(409, null, '{"detail":"busy"}')).toBe('HTTP 409: busy');
  });

  it('summarises an HTML error page instead of failing to parse it', () => {
    const page =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>';
    expect(describeHttpFailure(502, 'text/html', page)).toBe(
      'HTTP 502 (HTML error page): 502 Bad Gateway',
    );
    expect(
      describeHttpFailure(
        500,
        'application/json',
        '<html><body><p>licence   error</p></body></html>',
      ),
    ).toBe('HTTP 500 (HTML error page): licence error');
  });

  it('clips long text and handles empty or broken bodies', () => {
    expect(describeHttpFailure(503, null, '')).toBe('HTTP 503');
    expect(describeHttpFailure(500, 'application/json', '{"unterminated')).toBe(
      'HTTP 500: {"unterminated',
    );
    expect(describeHttpFailure(500, 'text/plain', 'x'.repeat(1000)).length).toBeLessThan(320);
  });
});
