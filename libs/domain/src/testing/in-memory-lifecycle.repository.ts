import { nowSeconds, type Clock } from '../ports/clock';
import type {
  DeletionClaim,
  DeletionFailure,
  SandboxLifecycleRepository,
} from '../ports/sandbox-lifecycle-repository';
import type { EpochSeconds, Sandbox } from '../sandbox/sandbox';
import { SandboxStatus } from '../sandbox/sandbox-status';
import { sourcesOf, type TransitionActor } from '../sandbox/transitions';
import type { InMemorySandboxRepository } from './in-memory-sandbox.repository';

interface StoredRow {
  readonly sandbox: Sandbox;
  readonly claimToken?: string;
}

interface DeletionHold {
  readonly owner: string;
  readonly claimedAt: EpochSeconds;
  readonly preDeleteDoneAt?: EpochSeconds;
}

/**
 * The lifecycle port over the rows of an InMemorySandboxRepository, so pool and jobs share one
 * store in tests. Each method checks and writes synchronously: as atomic as a conditional write.
 */
export class InMemoryLifecycleRepository implements SandboxLifecycleRepository {
  private readonly holds = new Map<string, DeletionHold>();
  private readonly preDeleteDone = new Map<string, EpochSeconds>();

  constructor(
    private readonly pool: InMemorySandboxRepository,
    private readonly clock: Clock,
  ) {}

  markStale(sandboxId: string, notSyncedSince: EpochSeconds): Promise<boolean> {
    return this.write(sandboxId, SandboxStatus.Stale, 'sync', (s) =>
      (s.lastSyncedAt ?? 0) < notSyncedSince ? (now) => ({ staleSince: now }) : null,
    );
  }

  expire(sandboxId: string, expiresAtOrBefore: EpochSeconds): Promise<boolean> {
    return this.write(sandboxId, SandboxStatus.PendingDeletion, 'expiry', (s) =>
      s.expiresAt !== undefined && s.expiresAt <= expiresAtOrBefore
        ? (now) => ({ deletionRequestedAt: now })
        : null,
    );
  }

  purgeStale(sandboxId: string, staleSinceOrBefore: EpochSeconds): Promise<boolean> {
    return this.write(sandboxId, SandboxStatus.Deleted, 'sync', (s) =>
      s.staleSince !== undefined && s.staleSince <= staleSinceOrBefore
        ? (now) => ({ deletedAt: now })
        : null,
    );
  }

  claimDeletion(sandboxId: string, owner: string): Promise<DeletionClaim | null> {
    const now = nowSeconds(this.clock);
    const row = this.rows().get(sandboxId);
    if (!row) return Promise.resolve(null);
    const { status, nextAttemptAt } = row.sandbox;
    const due =
      status === SandboxStatus.PendingDeletion ||
      (status === SandboxStatus.DeletionFailed && (nextAttemptAt ?? 0) <= now);
    if (!due) return Promise.resolve(null);
    const sandbox = this.put(row, SandboxStatus.Deleting, now, {});
    const preDeleteDoneAt = this.preDeleteDone.get(sandboxId);
    const hold: DeletionHold = {
      owner,
      claimedAt: now,
      ...(preDeleteDoneAt !== undefined ? { preDeleteDoneAt } : {}),
    };
    this.holds.set(sandboxId, hold);
    return Promise.resolve({ sandbox, ...hold });
  }

  recordPreDeleteDone(claim: DeletionClaim): Promise<boolean> {
    if (!this.holdsClaim(claim)) return Promise.resolve(false);
    this.preDeleteDone.set(claim.sandbox.sandboxId, nowSeconds(this.clock));
    return Promise.resolve(true);
  }

  completeDeletion(claim: DeletionClaim): Promise<boolean> {
    return this.finish(claim, SandboxStatus.Deleted, (now) => ({ deletedAt: now }));
  }

  failDeletion(claim: DeletionClaim, failure: DeletionFailure): Promise<boolean> {
    return this.finish(claim, SandboxStatus.DeletionFailed, (_now, s) => ({
      deletionAttempts: s.deletionAttempts + 1,
      nextAttemptAt: failure.nextAttemptAt,
      lastError: failure.error,
    }));
  }

  quarantine(claim: DeletionClaim, reason: string): Promise<boolean> {
    return this.finish(claim, SandboxStatus.Quarantined, (_now, s) => ({
      deletionAttempts: s.deletionAttempts + 1,
      quarantineReason: reason,
      lastError: reason,
    }));
  }

  abandonDeletion(claim: DeletionClaim, reason: string): Promise<boolean> {
    return this.finish(claim, SandboxStatus.PendingDeletion, () => ({ lastError: reason }));
  }

  recoverDeletion(sandboxId: string, claimedBefore: EpochSeconds): Promise<boolean> {
    const row = this.rows().get(sandboxId);
    const hold = this.holds.get(sandboxId);
    if (row?.sandbox.status !== SandboxStatus.Deleting || !hold || hold.claimedAt > claimedBefore) {
      return Promise.resolve(false);
    }
    this.holds.delete(sandboxId);
    this.put(row, SandboxStatus.PendingDeletion, nowSeconds(this.clock), {});
    return Promise.resolve(true);
  }

  /** Owner token and claim time of a row in `deleting` (tests). */
  holdOf(sandboxId: string): { owner: string; claimedAt: EpochSeconds } | null {
    return this.holds.get(sandboxId) ?? null;
  }

  private holdsClaim(claim: DeletionClaim): boolean {
    const row = this.rows().get(claim.sandbox.sandboxId);
    return (
      row?.sandbox.status === SandboxStatus.Deleting &&
      this.holds.get(claim.sandbox.sandboxId)?.owner === claim.owner
    );
  }

  private finish(
    claim: DeletionClaim,
    to: SandboxStatus,
    fields: (now: EpochSeconds, current: Sandbox) => Partial<Sandbox>,
  ): Promise<boolean> {
    const id = claim.sandbox.sandboxId;
    const row = this.rows().get(id);
    if (!row || !this.holdsClaim(claim)) return Promise.resolve(false);
    const now = nowSeconds(this.clock);
    this.holds.delete(id);
    this.put(row, to, now, fields(now, row.sandbox));
    return Promise.resolve(true);
  }

  private write(
    sandboxId: string,
    to: SandboxStatus,
    actor: TransitionActor,
    condition: (current: Sandbox) => ((now: EpochSeconds) => Partial<Sandbox>) | null,
  ): Promise<boolean> {
    const row = this.rows().get(sandboxId);
    if (!row || !sourcesOf(to, actor).includes(row.sandbox.status)) return Promise.resolve(false);
    const fields = condition(row.sandbox);
    if (!fields) return Promise.resolve(false);
    const now = nowSeconds(this.clock);
    this.put(row, to, now, fields(now));
    return Promise.resolve(true);
  }

  private put(
    row: StoredRow,
    status: SandboxStatus,
    now: EpochSeconds,
    fields: Partial<Sandbox>,
  ): Sandbox {
    const { staleSince: _staleSince, ...rest } = row.sandbox;
    const sandbox: Sandbox = {
      ...(status === SandboxStatus.Stale ? row.sandbox : rest),
      ...fields,
      status,
      updatedAt: now,
      version: row.sandbox.version + 1,
    };
    this.rows().set(sandbox.sandboxId, { ...row, sandbox });
    return sandbox;
  }

  private rows(): Map<string, StoredRow> {
    // The pool repository keeps its rows private; lifecycle writes must change those same rows.
    return (this.pool as unknown as { rows: Map<string, StoredRow> }).rows;
  }
}
