import { SandboxStatus } from './sandbox-status';

/** Who moves a sandbox from one state to another. */
export type TransitionActor =
  | 'student'
  | 'sync'
  | 'cleanup'
  | 'expiry'
  | 'operator'
  | 'repair'
  /** The reservation jobs and admin actions: earmark a sandbox for a class and give it back. */
  | 'reservation';

export interface TransitionRule {
  readonly to: SandboxStatus;
  readonly by: readonly TransitionActor[];
}

/**
 * The lifecycle. Every status change is one conditional write whose status condition is
 * `sourcesOf(to, actor)` of this table (libs/dynamo-repo TransitionWriter, the in-memory
 * InMemoryRows), so the table is both the documentation and what the stores enforce.
 */
export const TRANSITIONS: Readonly<Record<SandboxStatus, readonly TransitionRule[]>> = {
  [SandboxStatus.Available]: [
    { to: SandboxStatus.Allocated, by: ['student'] },
    { to: SandboxStatus.Reserved, by: ['reservation'] },
    { to: SandboxStatus.Stale, by: ['sync'] },
    { to: SandboxStatus.PendingDeletion, by: ['operator'] },
    { to: SandboxStatus.Quarantined, by: ['operator'] },
  ],
  // Earmarked for a reservation: the class's students take it (same claim protocol), the
  // reservation gives it back unclaimed, sync reports it vanished, an operator can still act.
  // Never available → reserved by anyone but the reservation, never reserved → allocated by
  // anything but an allocation whose track holds that reservation (a condition on the write).
  [SandboxStatus.Reserved]: [
    { to: SandboxStatus.Allocated, by: ['student'] },
    { to: SandboxStatus.Available, by: ['reservation'] },
    { to: SandboxStatus.Stale, by: ['sync'] },
    { to: SandboxStatus.PendingDeletion, by: ['operator'] },
    { to: SandboxStatus.Quarantined, by: ['operator'] },
  ],
  [SandboxStatus.Stale]: [
    { to: SandboxStatus.Available, by: ['sync'] },
    { to: SandboxStatus.Deleted, by: ['sync', 'operator'] },
    { to: SandboxStatus.PendingDeletion, by: ['operator'] },
    { to: SandboxStatus.Quarantined, by: ['operator'] },
  ],
  [SandboxStatus.Allocated]: [
    { to: SandboxStatus.PendingDeletion, by: ['student', 'expiry', 'operator', 'repair'] },
    { to: SandboxStatus.Quarantined, by: ['operator'] },
  ],
  [SandboxStatus.PendingDeletion]: [
    { to: SandboxStatus.Deleting, by: ['cleanup'] },
    { to: SandboxStatus.Deleted, by: ['operator'] },
    { to: SandboxStatus.Quarantined, by: ['operator'] },
  ],
  [SandboxStatus.Deleting]: [
    { to: SandboxStatus.Deleted, by: ['cleanup', 'operator'] },
    { to: SandboxStatus.DeletionFailed, by: ['cleanup'] },
    { to: SandboxStatus.PendingDeletion, by: ['cleanup', 'repair'] },
    { to: SandboxStatus.Quarantined, by: ['cleanup', 'operator'] },
  ],
  [SandboxStatus.DeletionFailed]: [
    { to: SandboxStatus.Deleting, by: ['cleanup'] },
    { to: SandboxStatus.PendingDeletion, by: ['operator'] },
    { to: SandboxStatus.Quarantined, by: ['cleanup', 'operator'] },
  ],
  [SandboxStatus.Quarantined]: [
    { to: SandboxStatus.PendingDeletion, by: ['operator'] },
    { to: SandboxStatus.Deleted, by: ['operator'] },
  ],
  [SandboxStatus.Deleted]: [],
};

export function canTransition(
  from: SandboxStatus,
  to: SandboxStatus,
  actor?: TransitionActor,
): boolean {
  return TRANSITIONS[from].some((rule) => rule.to === to && (!actor || rule.by.includes(actor)));
}

/** States from which `actor` may move a sandbox to `to`; the condition of the conditional write. */
export function sourcesOf(to: SandboxStatus, actor: TransitionActor): SandboxStatus[] {
  return (Object.keys(TRANSITIONS) as SandboxStatus[]).filter((from) =>
    canTransition(from, to, actor),
  );
}
