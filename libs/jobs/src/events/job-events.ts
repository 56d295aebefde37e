import type { NewSandboxEvent, SandboxEventLog, SandboxStatus } from '@broker/domain';

/**
 * Records a transition a job's conditional write made (call it only after the write succeeded).
 * `record` never throws and does no I/O, so a job's loop pays nothing for it.
 */
export function recordJobTransition(
  events: SandboxEventLog | undefined,
  job: string,
  change: {
    readonly sandboxId: string;
    readonly from?: SandboxStatus;
    readonly to: SandboxStatus;
    readonly action: string;
    readonly details?: NewSandboxEvent['details'];
  },
): void {
  events?.record({
    type: 'transition',
    sandboxId: change.sandboxId,
    ...(change.from !== undefined ? { from: change.from } : {}),
    to: change.to,
    actor: { kind: 'job', id: job },
    action: change.action,
    ...(change.details !== undefined ? { details: change.details } : {}),
  });
}
