import { nowSeconds, type Clock } from '../ports/clock';
import type {
  DeletionClaim,
  DeletionFailure,
  SandboxLifecycleRepository,
} from '../ports/sandbox-lifecycle-repository';
import type { EpochSeconds, Sandbox } from '../sandbox/sandbox';
import { SandboxStatus } from '../sandbox/sandbox-status';
import type { ProviderDiscrepancies } from '../ports/sandbox-admin-repository';
import type { InMemoryRows, MemoryStatusChange } from './in-memory-rows';

interface DeletionHold {
  readonly owner: string;
  readonly claimedAt: EpochSeconds;
  readonly preDeleteDoneAt?: EpochSeconds;
}

/**
 * The lifecycle port over the rows of an in-memory store (`InMemorySandboxRepository.store`), so
 * pool and jobs share one store in tests. Every status change goes through the store's one
 * writer (sources from TRANSITIONS); each runs synchronously, as atomic as a conditional write.
 */
export class InMemoryLifecycleRepository implements SandboxLifecycleRepository {
  private readonly holds = new Map<string, DeletionHold>();
  private readonly preDeleteDone = new Map<string, EpochSeconds>();

  constructor(
    private readonly store: InMemoryRows,
    private readonly clock: Clock,
  ) {}

  markStale(sandboxId: string, notSyncedSince: EpochSeconds): Promise<boolean> {
    return this.write({
      sandboxId,
      to: SandboxStatus.Stale,
      by: 'sync',
      when: ({ sandbox }) => (sandbox.lastSyncedAt ?? 0) < notSyncedSince,
      fields: (now) => ({ staleSince: now }),
    });
  }

  expire(sandboxId: string, expiresAtOrBefore: EpochSeconds): Promise<boolean> {
    return this.write({
      sandboxId,
      to: SandboxStatus.PendingDeletion,
      by: 'expiry',
      when: ({ sandbox }) =>
        sandbox.expiresAt !== undefined && sandbox.expiresAt <= expiresAtOrBefore,
      fields: (now) => ({ deletionRequestedAt: now }),
    });
  }

  purgeStale(sandboxId: string, staleSinceOrBefore: EpochSeconds): Promise<boolean> {
    return this.write({
      sandboxId,
      to: SandboxStatus.Deleted,
      by: 'sync',
      when: ({ sandbox }) => (sandbox.staleSince ?? sandbox.updatedAt) <= staleSinceOrBefore,
      fields: (now) => ({ deletedAt: now }),
    });
  }

  claimDeletion(sandboxId: string, owner: string): Promise<DeletionClaim | null> {
    const now = nowSeconds(this.clock);
    const sandbox = this.store.transition({
      sandboxId,
      to: SandboxStatus.Deleting,
      by: 'cleanup',
      when: ({ sandbox: s }) =>
        s.status === SandboxStatus.PendingDeletion || (s.nextAttemptAt ?? 0) <= now,
    });
    if (!sandbox) return Promise.resolve(null);
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
    const hold = this.holds.get(sandboxId);
    const recovered = this.store.transition({
      sandboxId,
      to: SandboxStatus.PendingDeletion,
      by: 'repair',
      from: [SandboxStatus.Deleting],
      when: () => hold !== undefined && hold.claimedAt <= claimedBefore,
    });
    if (recovered) this.holds.delete(sandboxId);
    return Promise.resolve(recovered !== null);
  }

  recordSyncDiscrepancies(found: ProviderDiscrepancies): Promise<void> {
    // An older sync finishing late never replaces a newer snapshot (as the DynamoDB condition).
    const current = this.store.discrepancies;
    if (!current || current.atMs <= found.atMs) this.store.discrepancies = { ...found };
    return Promise.resolve();
  }

  /** Owner token and claim time of a row in `deleting` (tests). */
  holdOf(sandboxId: string): { owner: string; claimedAt: EpochSeconds } | null {
    return this.holds.get(sandboxId) ?? null;
  }

  private holdsClaim(claim: DeletionClaim): boolean {
    const row = this.store.rows.get(claim.sandbox.sandboxId);
    return (
      row?.sandbox.status === SandboxStatus.Deleting &&
      this.holds.get(claim.sandbox.sandboxId)?.owner === claim.owner
    );
  }

  /** Leave `deleting` under our own claim. */
  private finish(
    claim: DeletionClaim,
    to: SandboxStatus,
    fields: (now: EpochSeconds, current: Sandbox) => Partial<Sandbox>,
  ): Promise<boolean> {
    const id = claim.sandbox.sandboxId;
    const done = this.store.transition({
      sandboxId: id,
      to,
      by: 'cleanup',
      from: [SandboxStatus.Deleting],
      when: () => this.holdsClaim(claim),
      fields,
    });
    if (done) this.holds.delete(id);
    return Promise.resolve(done !== null);
  }

  private write(change: MemoryStatusChange): Promise<boolean> {
    return Promise.resolve(this.store.transition(change) !== null);
  }
}
