import { TokenVerifier } from '@broker/auth';
import { rateLimitKey } from './rate-limit.guard';

describe('rateLimitKey', () => {
  const verifier = new TokenVerifier({
    track: [{ name: 'lab', token: 'track-secret-value-01' }],
    admin: [{ name: 'ops', token: 'admin-secret-value-01' }],
  });
  const key = (headers: Record<string, string | string[]>, ip = '192.0.2.10') =>
    rateLimitKey({ headers, ip }, verifier);

  it('uses the token name and the student id, never the token', () => {
    const value = key({
      authorization: 'Bearer track-secret-value-01',
      'x-instruqt-sandbox-id': ' student-1 ',
    });
    expect(value).toBe('track:lab|student-1');
    expect(key({ authorization: 'Bearer admin-secret-value-01' })).toBe('admin:ops|');
  });

  it('falls back to the legacy student header', () => {
    expect(key({ authorization: 'Bearer track-secret-value-01', 'x-track-id': 'student-2' })).toBe(
      'track:lab|student-2',
    );
  });

  it('keys requests without a valid token by client IP', () => {
    expect(key({ authorization: 'Bearer wrong', 'x-instruqt-sandbox-id': 's' })).toBe(
      'ip:192.0.2.10',
    );
    expect(key({})).toBe('ip:192.0.2.10');
  });

  it('groups IPv6 clients per /64 and bounds the student part', () => {
    expect(key({}, '2001:db8:1:2:aaaa::1')).toBe(key({}, '2001:db8:1:2:bbbb::2'));
    const long = key({
      authorization: 'Bearer track-secret-value-01',
      'x-instruqt-sandbox-id': 'x'.repeat(10_000),
    });
    expect(long.length).toBeLessThanOrEqual('track:lab|'.length + 256);
  });
});
