import { tokenFingerprint } from './token-hash';
import { TokenVerifier } from './token-verifier';

describe('TokenVerifier', () => {
  const verifier = new TokenVerifier({
    track: [
      { name: 'lab-a', token: 'track-secret-a' },
      { name: 'lab-b', token: 'track-secret-b' },
    ],
    admin: [{ name: 'ops', token: 'admin-secret' }],
  });

  it('maps each token to its role and name', () => {
    expect(verifier.verify('track-secret-b')).toEqual({ role: 'track', tokenName: 'lab-b' });
    expect(verifier.verify('admin-secret')).toEqual({ role: 'admin', tokenName: 'ops' });
  });

  it('rejects unknown, prefixed and empty tokens', () => {
    expect(verifier.verify('track-secret')).toBeNull();
    expect(verifier.verify('track-secret-a ')).toBeNull();
    expect(verifier.verify('')).toBeNull();
  });

  it('keeps no token values in memory, only digests', () => {
    expect(JSON.stringify(verifier)).not.toContain('secret');
    expect(verifier.describe()).toEqual({ track: ['lab-a', 'lab-b'], admin: ['ops'], viewer: [] });
  });

  it('fingerprints tokens with a short stable hash', () => {
    expect(tokenFingerprint('abc')).toBe(tokenFingerprint('abc'));
    expect(tokenFingerprint('abc')).not.toBe(tokenFingerprint('abd'));
    expect(tokenFingerprint('abc')).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
