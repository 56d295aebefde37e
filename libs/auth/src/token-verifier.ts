import { timingSafeEqual } from 'node:crypto';
import { type Principal, type Role } from './roles';
import type { AuthTokens } from './token-config';
import { hashToken } from './token-hash';

interface StoredToken {
  readonly role: Role;
  readonly name: string;
  readonly digest: Buffer;
  readonly tracks?: readonly string[];
}

/**
 * Holds only SHA-256 digests of the configured tokens. Comparing fixed-length digests with
 * timingSafeEqual, and always walking the whole table, keeps the check constant-time with respect to
 * the token's content and to which entry matches.
 */
export class TokenVerifier {
  private readonly stored: readonly StoredToken[];

  constructor(tokens: AuthTokens) {
    this.stored = [
      ...tokens.track.map((t) => ({
        role: 'track' as const,
        name: t.name,
        digest: hashToken(t.token),
        ...(t.tracks !== undefined ? { tracks: t.tracks } : {}),
      })),
      ...tokens.admin.map((t) => ({
        role: 'admin' as const,
        name: t.name,
        digest: hashToken(t.token),
      })),
      ...(tokens.viewer ?? []).map((t) => ({
        role: 'viewer' as const,
        name: t.name,
        digest: hashToken(t.token),
      })),
    ];
  }

  verify(token: string): Principal | null {
    const digest = hashToken(token);
    let match: StoredToken | null = null;
    for (const entry of this.stored) {
      if (timingSafeEqual(entry.digest, digest) && match === null) match = entry;
    }
    if (match === null) return null;
    return {
      role: match.role,
      tokenName: match.name,
      ...(match.tracks !== undefined ? { tracks: match.tracks } : {}),
    };
  }

  /** Configured token names per role (for startup logs). */
  describe(): Record<Role, string[]> {
    return {
      track: this.stored.filter((s) => s.role === 'track').map((s) => s.name),
      admin: this.stored.filter((s) => s.role === 'admin').map((s) => s.name),
      viewer: this.stored.filter((s) => s.role === 'viewer').map((s) => s.name),
    };
  }
}
