import { randomBytes } from 'node:crypto';
import {
  type ConsoleSessionResolver,
  csrfTokenOf,
  type Principal,
  type ResolvedSession,
  sha256Hex,
} from '@broker/auth';
import type { Clock, ConsoleSessionRecord, ConsoleSessionRepository } from '@broker/domain';

/** A session just opened: the raw id goes into the cookie only, the csrf token to the page. */
export interface OpenedSession {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly record: ConsoleSessionRecord;
}

/**
 * Console sessions over the store's ConsoleSessionRepository: a 256-bit random id per sign-in,
 * kept as its SHA-256 only (as is the csrf token), so any API task can check any session.
 * Also the guard's ConsoleSessionResolver.
 */
export class ConsoleSessions implements ConsoleSessionResolver {
  constructor(
    private readonly repository: ConsoleSessionRepository,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  /** Opens a session for an admin or viewer principal. */
  async open(principal: Principal & { role: 'admin' | 'viewer' }): Promise<OpenedSession> {
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = csrfTokenOf(sessionId);
    const now = this.clock.nowMs();
    const record: ConsoleSessionRecord = {
      sessionIdHash: sha256Hex(sessionId),
      csrfTokenHash: sha256Hex(csrfToken),
      role: principal.role,
      tokenName: principal.tokenName,
      createdAtMs: now,
      expiresAtMs: now + this.ttlMs,
    };
    await this.repository.create(record);
    return { sessionId, csrfToken, record };
  }

  /** The live session behind a cookie value, or null. */
  find(sessionId: string): Promise<ConsoleSessionRecord | null> {
    if (!isSessionId(sessionId)) return Promise.resolve(null);
    return this.repository.find(sha256Hex(sessionId), this.clock.nowMs());
  }

  async resolve(sessionId: string): Promise<ResolvedSession | null> {
    const record = await this.find(sessionId);
    if (record === null) return null;
    return {
      principal: { role: record.role, tokenName: record.tokenName },
      csrfTokenHash: record.csrfTokenHash,
    };
  }

  close(sessionId: string): Promise<void> {
    return this.repository.revoke(sha256Hex(sessionId));
  }
}

/** What an id we issued looks like (43 base64url chars); anything else is not looked up. */
function isSessionId(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
