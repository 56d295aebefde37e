import type { Sandbox } from '../sandbox/sandbox';
import { SandboxStatus } from '../sandbox/sandbox-status';
import type { Page, PageRequest } from './page';

/** Admin listing filters; any combination. */
export interface AdminListQuery extends PageRequest {
  readonly status?: SandboxStatus | undefined;
  /** Case-sensitive sandbox-name prefix. */
  readonly namePrefix?: string | undefined;
  /** The lab slug the sandbox was allocated for (`trackName`). */
  readonly track?: string | undefined;
  /** Student id of the (last) owner. */
  readonly owner?: string | undefined;
}

/** Exact counts from index reads: by status, and by name prefix (name minus trailing digits). */
export interface PoolStats {
  readonly byStatus: Record<SandboxStatus, number>;
  readonly byPrefix: Record<string, Partial<Record<SandboxStatus, number>>>;
  readonly total: number;
  /** What the last complete sync found wrong at the provider; null before the first one. */
  readonly providerDiscrepancies: ProviderDiscrepancies | null;
}

/**
 * Provider disagreements the last complete sync found (issue #12): tombstones the provider still
 * lists as active (each is deleted again at the provider), and allocated sandboxes whose account
 * the provider no longer has. A snapshot, replaced by every complete sync.
 */
export interface ProviderDiscrepancies {
  readonly tombstonesStillListed: number;
  readonly allocatedVanished: number;
  /** When that sync finished (epoch ms). */
  readonly atMs: number;
}

/**
 * What an operator's quarantine moves directly (a subset of the operator's sources in
 * TRANSITIONS): allocated rows are force-released and rows in deletion finish it first.
 */
export const OPERATOR_QUARANTINE_SOURCES: readonly SandboxStatus[] = [
  SandboxStatus.Available,
  SandboxStatus.Reserved,
  SandboxStatus.Stale,
  SandboxStatus.PendingDeletion,
  SandboxStatus.DeletionFailed,
];

/** `lab-demo-0042` → `lab-demo-`; a name without trailing digits is its own prefix. */
export function namePrefixOf(name: string): string {
  return name.replace(/\d+$/, '');
}

/**
 * Operator reads and writes. Listing and counting use indexes only (never a table scan); every
 * write is one single-item conditional write on the row's current status: `null` / `false` means
 * the row was not in a source state (or is gone), and nothing changed.
 */
export interface SandboxAdminRepository {
  /**
   * One page for any filter combination. Served by the status index (status, + name prefix as a
   * key range), the owner index or the track index; other filters narrow the page, which may then
   * be short. The cursor is opaque; a bad one throws InvalidCursorError.
   */
  list(query: AdminListQuery): Promise<Page<Sandbox>>;

  stats(): Promise<PoolStats>;

  /** allocated → pending_deletion (the owner is kept, so the student can still read it). */
  forceRelease(sandboxId: string): Promise<Sandbox | null>;

  /** deletion_failed | quarantined → pending_deletion, attempts reset, error and back-off cleared. */
  retryDeletion(sandboxId: string): Promise<Sandbox | null>;

  /** available | stale | pending_deletion | deletion_failed → quarantined with the reason. */
  quarantine(sandboxId: string, reason: string): Promise<Sandbox | null>;

  /** `from` → pending_deletion (bulk delete: the cleanup job then deletes and tombstones it). */
  sendToDeletion(sandboxId: string, from: SandboxStatus): Promise<boolean>;

  /** `from` → deleted directly, without a provider call (the operator asserts it is gone). */
  tombstone(sandboxId: string, from: SandboxStatus): Promise<boolean>;
}

export const SANDBOX_ADMIN_REPOSITORY = Symbol.for('broker.SandboxAdminRepository');
