/** Every state a sandbox row can be in. String values are the wire and storage values. */
export const SandboxStatus = {
  Available: 'available',
  /** Earmarked for a class reservation (`reservationId`): only that reservation's track takes it. */
  Reserved: 'reserved',
  Allocated: 'allocated',
  PendingDeletion: 'pending_deletion',
  Deleting: 'deleting',
  Deleted: 'deleted',
  Stale: 'stale',
  DeletionFailed: 'deletion_failed',
  Quarantined: 'quarantined',
} as const;

export type SandboxStatus = (typeof SandboxStatus)[keyof typeof SandboxStatus];

export const ALL_SANDBOX_STATUSES: readonly SandboxStatus[] = Object.values(SandboxStatus);

export function isSandboxStatus(value: unknown): value is SandboxStatus {
  return typeof value === 'string' && (ALL_SANDBOX_STATUSES as readonly string[]).includes(value);
}

/**
 * States a sandbox can only reach after it was handed to a student. A row in one of these
 * states is never made available again (one-time use); `deleted` is the tombstone.
 */
export const USED_STATUSES: ReadonlySet<SandboxStatus> = new Set<SandboxStatus>([
  SandboxStatus.Allocated,
  SandboxStatus.PendingDeletion,
  SandboxStatus.Deleting,
  SandboxStatus.Deleted,
  SandboxStatus.DeletionFailed,
  SandboxStatus.Quarantined,
]);

/** States in which the provider may refresh the row's fields (sync). */
export const SYNCABLE_STATUSES: ReadonlySet<SandboxStatus> = new Set<SandboxStatus>([
  SandboxStatus.Available,
  SandboxStatus.Stale,
]);
