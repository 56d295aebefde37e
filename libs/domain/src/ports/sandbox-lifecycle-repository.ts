import type { EpochSeconds, Sandbox } from '../sandbox/sandbox';
import type { ProviderDiscrepancies } from './sandbox-admin-repository';

/** A sandbox the cleanup job holds in `deleting` under its owner token. */
export interface DeletionClaim {
  readonly sandbox: Sandbox;
  /** Owner token of the claim; every later write of this deletion is conditional on it. */
  readonly owner: string;
  readonly claimedAt: EpochSeconds;
  /** When the provider pre-delete hook (NIOSXaaS) last succeeded; not re-run once set. */
  readonly preDeleteDoneAt?: EpochSeconds;
}

export interface DeletionFailure {
  /** Short reason kept on the row (`last_error`). */
  readonly error: string;
  /** Earliest time the next attempt may claim the row (`next_attempt_at`). */
  readonly nextAttemptAt: EpochSeconds;
}

/**
 * The background jobs' state changes. Each method is one single-item conditional write on the
 * row's current state (see TRANSITIONS); `false` / `null` means the condition did not hold —
 * another actor got there first — and is never an error.
 */
export interface SandboxLifecycleRepository {
  /** sync: available → stale, only if still available and not synced since `notSyncedSince`. */
  markStale(sandboxId: string, notSyncedSince: EpochSeconds): Promise<boolean>;

  /** expiry: allocated with `expires_at <= expiresAtOrBefore` → pending_deletion. */
  expire(sandboxId: string, expiresAtOrBefore: EpochSeconds): Promise<boolean>;

  /** stale purge: stale since `staleSinceOrBefore` or earlier → deleted (tombstone). */
  purgeStale(sandboxId: string, staleSinceOrBefore: EpochSeconds): Promise<boolean>;

  /**
   * cleanup: pending_deletion, or deletion_failed whose `next_attempt_at` has come → deleting,
   * held by `owner`. Null when the row is not claimable (someone else holds it, it is not due, or
   * it moved on).
   */
  claimDeletion(sandboxId: string, owner: string): Promise<DeletionClaim | null>;

  /** Remember that the pre-delete hook finished, so a retry of the account delete skips it. */
  recordPreDeleteDone(claim: DeletionClaim): Promise<boolean>;

  /** deleting (ours) → deleted: the tombstone that keeps the account out of the pool forever. */
  completeDeletion(claim: DeletionClaim): Promise<boolean>;

  /** deleting (ours) → deletion_failed, one more counted attempt, retried from `nextAttemptAt`. */
  failDeletion(claim: DeletionClaim, failure: DeletionFailure): Promise<boolean>;

  /** deleting (ours) → quarantined (attempts exhausted), one more counted attempt. */
  quarantine(claim: DeletionClaim, reason: string): Promise<boolean>;

  /**
   * deleting (ours) → pending_deletion without counting an attempt: the run stopped before it
   * knew the outcome (shutdown, open breaker). A later delete of a gone account answers 404.
   */
  abandonDeletion(claim: DeletionClaim, reason: string): Promise<boolean>;

  /**
   * Crash recovery: deleting since `claimedBefore` or earlier, whoever holds it → pending_deletion
   * without counting an attempt.
   */
  recoverDeletion(sandboxId: string, claimedBefore: EpochSeconds): Promise<boolean>;

  /** sync: keep what this complete run found wrong at the provider, for the admin stats. */
  recordSyncDiscrepancies(found: ProviderDiscrepancies): Promise<void>;
}

export const SANDBOX_LIFECYCLE_REPOSITORY = Symbol.for('broker.SandboxLifecycleRepository');
