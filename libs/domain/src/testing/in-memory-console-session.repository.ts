import type {
  ConsoleSessionRecord,
  ConsoleSessionRepository,
} from '../ports/console-session-repository';

/** In-memory twin of DynamoConsoleSessionRepository (same contract, libs/dynamo-repo/test). */
export class InMemoryConsoleSessionRepository implements ConsoleSessionRepository {
  private readonly sessions = new Map<string, ConsoleSessionRecord>();

  create(record: ConsoleSessionRecord): Promise<void> {
    if (this.sessions.has(record.sessionIdHash)) {
      return Promise.reject(new Error('session id already exists'));
    }
    this.sessions.set(record.sessionIdHash, { ...record });
    return Promise.resolve();
  }

  find(sessionIdHash: string, nowMs: number): Promise<ConsoleSessionRecord | null> {
    const record = this.sessions.get(sessionIdHash);
    return Promise.resolve(record && nowMs < record.expiresAtMs ? { ...record } : null);
  }

  revoke(sessionIdHash: string): Promise<void> {
    this.sessions.delete(sessionIdHash);
    return Promise.resolve();
  }

  /** Every stored record (tests: only digests are kept). */
  all(): readonly ConsoleSessionRecord[] {
    return [...this.sessions.values()];
  }
}
