import type { AdminSandbox, ReservationStatus, Role, SandboxStatus } from '../api/types';

export type RepairAction = 'retry-deletion' | 'quarantine' | 'force-release';

export const REPAIR_LABELS: Readonly<Record<RepairAction, string>> = {
  'retry-deletion': 'Retry deletion',
  quarantine: 'Quarantine',
  'force-release': 'Force release',
};

// The statuses each repair starts from (the API's admin repository decides; these only keep
// buttons away that would surely be refused with 409).
const SOURCES: Readonly<Record<RepairAction, readonly SandboxStatus[]>> = {
  'retry-deletion': ['deletion_failed', 'quarantined'],
  quarantine: ['available', 'stale', 'pending_deletion', 'deletion_failed'],
  'force-release': ['allocated'],
};

/** Whether the role may change anything (triggers and repairs): admins only, never viewers. */
export function canChange(role: Role | null | undefined): boolean {
  return role === 'admin';
}

/** The repair buttons to show for a sandbox: none for a viewer, else those its status allows. */
export function visibleRepairs(
  role: Role | null | undefined,
  status: SandboxStatus,
): RepairAction[] {
  if (!canChange(role)) return [];
  return (Object.keys(SOURCES) as RepairAction[]).filter((a) => SOURCES[a].includes(status));
}

/**
 * The confirmation question, naming the sandbox and its owner when it has one: an operator must
 * see whose lab a force release ends.
 */
export function confirmText(action: RepairAction, sandbox: AdminSandbox): string {
  const owner = sandbox.owner_id
    ? ` owned by ${sandbox.owner_id}${sandbox.track_name ? ` (track ${sandbox.track_name})` : ''}`
    : '';
  const what = `${sandbox.name} (id ${sandbox.sandbox_id})${owner}`;
  switch (action) {
    case 'retry-deletion':
      return `Retry the deletion of ${what}? It goes back to pending_deletion with its attempts reset.`;
    case 'quarantine':
      return `Quarantine ${what}? It stays out of the pool until a retry of its deletion.`;
    case 'force-release':
      return `Force release ${what}? The student's lab loses the sandbox and it goes to deletion.`;
  }
}

/** A quarantine reason the API accepts: 1 to 500 characters after trimming, no control characters. */
export function validReason(reason: string): boolean {
  const trimmed = reason.trim();
  return trimmed.length > 0 && trimmed.length <= 500 && /^[^\x00-\x1f\x7f]+$/.test(trimmed);
}

/** What the Classes page offers: booking and quota changes to admins, nothing to viewers. */
export interface ClassActions {
  readonly book: boolean;
  readonly editQuotas: boolean;
}

export function classActions(role: Role | null | undefined): ClassActions {
  const admin = canChange(role);
  return { book: admin, editQuotas: admin };
}

export type ReservationAction = 'resize' | 'cancel';

/** Resize and cancel for an admin on a confirmed booking (cancelled/ended ones are refused 409). */
export function visibleReservationActions(
  role: Role | null | undefined,
  status: ReservationStatus,
): ReservationAction[] {
  return canChange(role) && status === 'confirmed' ? ['resize', 'cancel'] : [];
}
