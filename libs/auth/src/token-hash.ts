import { createHash } from 'node:crypto';

/** SHA-256 of a token; only these digests are kept in memory. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * A short, stable, non-reversible label for a token (12 base64url chars of its SHA-256), for rate
 * limiting keys and log lines. Never log the token itself.
 */
export function tokenFingerprint(token: string): string {
  return hashToken(token).toString('base64url').slice(0, 12);
}
