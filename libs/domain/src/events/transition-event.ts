import type { EventActor, NewSandboxEvent } from '../ports/sandbox-event-log';
import type { SandboxStatus } from '../sandbox/sandbox-status';

/** What a transition event says; optional parts are left out of the event when absent. */
export interface TransitionFacts {
  readonly sandboxId: string;
  readonly from?: SandboxStatus | undefined;
  readonly to: SandboxStatus;
  readonly actor: EventActor;
  /** Short verb: `allocate`, `release`, `expire`, `delete`, `bulk_delete`, … */
  readonly action: string;
  readonly requestId?: string | undefined;
  readonly details?: NewSandboxEvent['details'] | undefined;
}

/**
 * The one builder of `transition` events (API use cases, admin actions, jobs): record it only
 * after the conditional write that made the change succeeded.
 */
export function transitionEvent(facts: TransitionFacts): NewSandboxEvent {
  return {
    type: 'transition',
    sandboxId: facts.sandboxId,
    ...(facts.from !== undefined ? { from: facts.from } : {}),
    to: facts.to,
    actor: facts.actor,
    action: facts.action,
    ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
    ...(facts.details !== undefined && Object.keys(facts.details).length > 0
      ? { details: facts.details }
      : {}),
  };
}
