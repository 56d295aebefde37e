import {
  type EventActor,
  type NewSandboxEvent,
  type SandboxEventLog,
  type SandboxStatus,
  transitionEvent,
} from '@broker/domain';
import { errorText, type JobLogger } from '../runner/job';

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
  events?.record(transitionEvent({ ...change, actor: { kind: 'job', id: job } }));
}

/**
 * Applies one conditional transition to each due sandbox in turn (stopping on `stop`), records
 * each that took effect, and counts the rest: a write that throws is logged and counted as
 * failed (the next run retries it); a write whose condition no longer held is not an error.
 */
export async function transitionEach(
  sandboxIds: readonly string[],
  options: {
    /** Who writes: a job's name, or another actor (an operator running the same logic). */
    readonly job: string;
    readonly actor?: EventActor;
    readonly requestId?: string | undefined;
    readonly stop: AbortSignal;
    readonly write: (sandboxId: string) => Promise<boolean>;
    readonly change: {
      readonly from: SandboxStatus;
      readonly to: SandboxStatus;
      readonly action: string;
    };
    readonly events: SandboxEventLog | undefined;
    readonly logger: JobLogger;
  },
): Promise<{ changed: number; failed: number }> {
  const counts = { changed: 0, failed: 0 };
  for (const sandboxId of sandboxIds) {
    if (options.stop.aborted) break;
    try {
      if (await options.write(sandboxId)) {
        counts.changed += 1;
        options.events?.record(
          transitionEvent({
            sandboxId,
            ...options.change,
            actor: options.actor ?? { kind: 'job', id: options.job },
            requestId: options.requestId,
          }),
        );
      }
    } catch (error) {
      counts.failed += 1;
      options.logger.warn(
        { job: options.job, sandboxId, err: errorText(error) },
        `${options.change.action} failed`,
      );
    }
  }
  return counts;
}
