import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './roles';

/** Name of the console's session cookie (HttpOnly, SameSite=Strict, Path=/). */
export const SESSION_COOKIE = 'broker_session';
/** Header a cookie-authenticated state-changing request must carry (its session's csrf_token). */
export const CSRF_HEADER = 'x-csrf-token';

/** What a live session stands for: the principal it was opened with and its CSRF digest. */
export interface ResolvedSession {
  readonly principal: Principal;
  /** SHA-256 (hex) of the session's csrf_token. */
  readonly csrfTokenHash: string;
}

/**
 * Looks a console session up by the id the cookie carries (the app backs it with the store, so
 * several API tasks share sessions). Null: unknown, expired or revoked.
 */
export interface ConsoleSessionResolver {
  resolve(sessionId: string): Promise<ResolvedSession | null>;
}

export const CONSOLE_SESSION_RESOLVER = Symbol.for('broker.ConsoleSessionResolver');

/** SHA-256 hex of a secret: what is stored for session ids and csrf tokens, never the value. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * The csrf token of a session: derived from the session id (unguessable without the HttpOnly
 * cookie), so `GET /v1/admin/session` can hand the same token back while only its digest is kept.
 */
export function csrfTokenOf(sessionId: string): string {
  return createHash('sha256').update(`csrf:${sessionId}`, 'utf8').digest('base64url');
}

/** Constant-time check of a presented csrf token against the stored digest. */
export function csrfTokenMatches(presented: string | undefined, storedHash: string): boolean {
  if (presented === undefined || presented === '') return false;
  const a = Buffer.from(sha256Hex(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
