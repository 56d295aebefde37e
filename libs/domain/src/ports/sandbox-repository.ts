import type { ExtensionPolicy } from '../allocation/lease-policy';
import type { AllocationRequest, AllocationResult, ReleaseResult } from '../allocation/allocation';
import type { ProviderSandbox, Sandbox } from '../sandbox/sandbox';
import type { SandboxStatus } from '../sandbox/sandbox-status';
import type { Page, PageRequest } from './page';

export interface ListSandboxesQuery extends PageRequest {
  readonly status: SandboxStatus;
  /** Case-sensitive sandbox-name prefix, served by the index range, not by a filter. */
  readonly namePrefix?: string | undefined;
}

/** Outcome of writing one sandbox from the provider's list into the pool. */
export type ProviderUpsertOutcome =
  /** New row, available. */
  | 'inserted'
  /** Available row whose provider fields were refreshed (or already equal). */
  | 'refreshed'
  /** Stale row seen again at the provider: available again. */
  | 'revived'
  /** Row is allocated or later (or a tombstone): left untouched. */
  | 'untouched';

/**
 * An allocation claim: the per-student record (keyed by student id + idempotency key) that makes
 * concurrent and retried allocations return one sandbox. See libs/dynamo-repo/README.md.
 */
export interface AllocationClaim {
  readonly studentId: string;
  readonly idempotencyKey: string;
  readonly sandboxId: string;
  readonly token: string;
  readonly createdAt: number;
  /** After this instant (epoch ms) the writer that made the claim no longer writes under it. */
  readonly deadlineMs: number;
  /** Candidates an earlier, presumed-dead writer of this claim may still have taken. */
  readonly supersededSandboxIds: readonly string[];
}

export type ClaimRepairOutcome =
  /** The claim's sandbox is allocated under it: the claim is confirmed and leaves the open list. */
  | 'confirmed'
  /** The writer died before taking a sandbox: the claim is removed so the student starts clean. */
  | 'abandoned'
  /** The claim changed while being repaired (a live request owns it now): nothing done. */
  | 'skipped';

/** The claim protocol: one sandbox per student, never one sandbox to two students. */
export interface SandboxAllocationRepository {
  /**
   * Allocate one available sandbox to the student, or return the one the student's claim already
   * holds. Throws NoSandboxesAvailableError only when no sandbox matching the prefix is available.
   */
  allocate(request: AllocationRequest): Promise<AllocationResult>;
}

/** Reads of the pool: one row, a status listing, exact counts (index reads, never a scan). */
export interface SandboxReadRepository {
  /** Strongly consistent read of one sandbox row. */
  get(sandboxId: string): Promise<Sandbox | null>;

  /**
   * One page of sandboxes in a status; the cursor is opaque. Order is by name within each index
   * shard (not global); walking every page returns every row exactly once.
   */
  list(query: ListSandboxesQuery): Promise<Page<Sandbox>>;

  /** Exact number of rows in each status (index reads, never a table scan). */
  countByStatus(): Promise<Record<SandboxStatus, number>>;

  /**
   * The sandbox whose provider account is `externalId` (`<uuid>` or `identity/accounts/<uuid>`,
   * case-insensitive), read through an index, never a scan; `null` when none (or when the value
   * is not an account id). The row returned is a strongly consistent read.
   */
  findByExternalId(externalId: string): Promise<Sandbox | null>;
}

/** The student's release (reference: `POST /sandboxes/{id}/mark-for-deletion`). */
export interface SandboxReleaseRepository {
  /**
   * The owner releases: allocated → pending_deletion. Idempotent for the owner (a repeat returns the
   * row unchanged). Throws SandboxNotFoundError or NotSandboxOwnerError.
   */
  release(sandboxId: string, studentId: string): Promise<ReleaseResult>;
}

/** The student's self-extension of their lease. */
export interface SandboxExtensionRepository {
  /**
   * Moves `expires_at` of the student's allocated sandbox by one `policy.stepSeconds` (capped at
   * `allocated_at + policy.maxLeaseSeconds`) and counts it: one conditional write on the owner,
   * `allocated`, the `expires_at` and the count it read, so concurrent extensions each add exactly
   * one step (a loser re-reads and tries again). Not idempotent: every success is one step.
   * Throws SandboxNotFoundError, NotSandboxOwnerError, SandboxNotAllocatedError or
   * ExtensionLimitReachedError (count used up, or the cap already reached).
   */
  extend(sandboxId: string, studentId: string, policy: ExtensionPolicy): Promise<Sandbox>;
}

/** What the provider sync writes. */
export interface ProviderSyncRepository {
  /**
   * Write one sandbox from the provider's list: insert it as available, refresh an available row,
   * revive a stale one; never touch allocated-or-later rows or tombstones.
   */
  upsertFromProvider(sandbox: ProviderSandbox): Promise<ProviderUpsertOutcome>;
}

/** The claim-repair job's reads and writes. */
export interface ClaimRepairRepository {
  /**
   * Claims listed for repair whose writer deadline (`deadlineMs`) is before the epoch-ms instant
   * `olderThanMs` (for the repair job, e.g. `now - 60_000`). A claim is listed when it was taken
   * over from a writer presumed dead (that writer may still take its candidate late), and stays
   * listed until `repairClaim` confirms or removes it. A first allocation's claim is never listed:
   * if its writer dies, the student's next request takes the claim over, so the happy path costs
   * no index entry and no confirmation write.
   */
  listOpenClaims(olderThanMs: number, limit: number): Promise<AllocationClaim[]>;

  /** Confirm or clean up one open claim whose writer's deadline has passed. */
  repairClaim(claim: AllocationClaim): Promise<ClaimRepairOutcome>;
}

/** A cheap round-trip to the store, for readiness checks. */
export interface StoreHealth {
  ping(): Promise<void>;
}

/**
 * Every operation on sandbox rows and claims, as one object per engine (the contract suite runs
 * it on each). Consumers depend on the part they use; every state change is one single-item
 * conditional write whose status condition comes from TRANSITIONS.
 */
export interface SandboxRepository
  extends
    SandboxAllocationRepository,
    SandboxReadRepository,
    SandboxReleaseRepository,
    SandboxExtensionRepository,
    ProviderSyncRepository,
    ClaimRepairRepository,
    StoreHealth {}

/** DI tokens of the parts (each resolves to the store's SandboxRepository). */
export const SANDBOX_ALLOCATION_REPOSITORY = Symbol.for('broker.SandboxAllocationRepository');
export const SANDBOX_READ_REPOSITORY = Symbol.for('broker.SandboxReadRepository');
export const SANDBOX_RELEASE_REPOSITORY = Symbol.for('broker.SandboxReleaseRepository');
export const SANDBOX_EXTENSION_REPOSITORY = Symbol.for('broker.SandboxExtensionRepository');
