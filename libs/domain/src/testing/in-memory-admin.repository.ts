import type { Clock } from '../ports/clock';
import type { Page } from '../ports/page';
import {
  type AdminListQuery,
  namePrefixOf,
  OPERATOR_QUARANTINE_SOURCES,
  type PoolStats,
  type SandboxAdminRepository,
} from '../ports/sandbox-admin-repository';
import type { Sandbox } from '../sandbox/sandbox';
import { ALL_SANDBOX_STATUSES, SandboxStatus } from '../sandbox/sandbox-status';
import { type InMemoryRows, pageByKey } from './in-memory-rows';

/**
 * The admin port over an in-memory store's rows, with the DynamoDB repository's semantics: owner
 * and track listings newest allocation first, status listings by status (walk order of
 * ALL_SANDBOX_STATUSES) then name, opaque cursors bound to the filter, operator writes through
 * the store's one status writer (`operator` actor).
 */
export class InMemorySandboxAdminRepository implements SandboxAdminRepository {
  constructor(
    private readonly store: InMemoryRows,
    readonly clock: Clock,
  ) {}

  list(query: AdminListQuery): Promise<Page<Sandbox>> {
    // A bad cursor rejects the promise, as the DynamoDB repository's does.
    return Promise.resolve().then(() => this.listNow(query));
  }

  private listNow(query: AdminListQuery): Page<Sandbox> {
    const filter = JSON.stringify([
      query.status ?? null,
      query.namePrefix ?? null,
      query.track ?? null,
      query.owner ?? null,
    ]);
    const byIndex = query.owner !== undefined || query.track !== undefined;
    const matching = [...this.store.rows.values()]
      .map((row) => row.sandbox)
      .filter(
        (s) =>
          (query.status === undefined || s.status === query.status) &&
          s.name.startsWith(query.namePrefix ?? '') &&
          (query.owner === undefined || s.ownerId === query.owner) &&
          (query.track === undefined || s.trackName === query.track) &&
          (!byIndex || s.allocatedAt !== undefined),
      );
    return pageByKey(matching, byIndex ? allocationKey : statusKey, query, filter);
  }

  stats(): Promise<PoolStats> {
    const byStatus = Object.fromEntries(ALL_SANDBOX_STATUSES.map((s) => [s, 0])) as Record<
      SandboxStatus,
      number
    >;
    const byPrefix: Record<string, Partial<Record<SandboxStatus, number>>> = {};
    for (const { sandbox } of this.store.rows.values()) {
      byStatus[sandbox.status] += 1;
      const counts = (byPrefix[namePrefixOf(sandbox.name)] ??= {});
      counts[sandbox.status] = (counts[sandbox.status] ?? 0) + 1;
    }
    return Promise.resolve({
      byStatus,
      byPrefix,
      total: this.store.rows.size,
      providerDiscrepancies: this.store.discrepancies,
    });
  }

  forceRelease(sandboxId: string): Promise<Sandbox | null> {
    return this.change(
      sandboxId,
      [SandboxStatus.Allocated],
      SandboxStatus.PendingDeletion,
      (now) => ({
        deletionRequestedAt: now,
      }),
    );
  }

  retryDeletion(sandboxId: string): Promise<Sandbox | null> {
    return this.change(
      sandboxId,
      [SandboxStatus.DeletionFailed, SandboxStatus.Quarantined],
      SandboxStatus.PendingDeletion,
      () => ({
        deletionAttempts: 0,
        nextAttemptAt: undefined,
        lastError: undefined,
        quarantineReason: undefined,
      }),
    );
  }

  quarantine(sandboxId: string, reason: string): Promise<Sandbox | null> {
    return this.change(sandboxId, OPERATOR_QUARANTINE_SOURCES, SandboxStatus.Quarantined, () => ({
      quarantineReason: reason,
      nextAttemptAt: undefined,
    }));
  }

  async sendToDeletion(sandboxId: string, from: SandboxStatus): Promise<boolean> {
    const done = await this.change(sandboxId, [from], SandboxStatus.PendingDeletion, (now, s) => ({
      deletionRequestedAt: s.deletionRequestedAt ?? now,
      nextAttemptAt: undefined,
    }));
    return done !== null;
  }

  async tombstone(sandboxId: string, from: SandboxStatus): Promise<boolean> {
    const done = await this.change(sandboxId, [from], SandboxStatus.Deleted, (now) => ({
      deletedAt: now,
      nextAttemptAt: undefined,
    }));
    return done !== null;
  }

  private change(
    sandboxId: string,
    from: readonly SandboxStatus[],
    to: SandboxStatus,
    fields: (now: number, current: Sandbox) => Partial<Sandbox>,
  ): Promise<Sandbox | null> {
    const sandbox = this.store.transition({ sandboxId, to, by: 'operator', from, fields });
    return Promise.resolve(sandbox);
  }
}

/** Status walk order, then name (the StatusIndex sort key) — one global order for cursors. */
function statusKey(s: Sandbox): string {
  const step = String(ALL_SANDBOX_STATUSES.indexOf(s.status)).padStart(2, '0');
  return `${step}#${s.name}#${s.sandboxId}`;
}

/** Newest allocation first (the owner/track indexes are read backwards). */
function allocationKey(s: Sandbox): string {
  const inverted = String(9_999_999_999 - (s.allocatedAt ?? 0)).padStart(10, '0');
  return `${inverted}#${s.sandboxId}`;
}
