/** A console sign-in (issue #14): who it stands for and until when; never a token or a raw id. */
export interface ConsoleSessionRecord {
  /** SHA-256 (hex) of the opaque session id the cookie carries. */
  readonly sessionIdHash: string;
  /** SHA-256 (hex) of the session's csrf token. */
  readonly csrfTokenHash: string;
  readonly role: 'admin' | 'viewer';
  /** The configured name of the token signed in with (never the token). */
  readonly tokenName: string;
  /** Epoch milliseconds. */
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

/**
 * Console sessions, shared by every API task (kept in the store, removed by its TTL after
 * `expiresAtMs`). Only digests are stored: a leaked table dump opens no session.
 */
export interface ConsoleSessionRepository {
  create(record: ConsoleSessionRecord): Promise<void>;
  /** The session when it exists and `nowMs < expiresAtMs`; null otherwise (expired, revoked). */
  find(sessionIdHash: string, nowMs: number): Promise<ConsoleSessionRecord | null>;
  /** Ends the session at once (sign-out); idempotent. */
  revoke(sessionIdHash: string): Promise<void>;
}

export const CONSOLE_SESSION_REPOSITORY = Symbol.for('broker.ConsoleSessionRepository');
