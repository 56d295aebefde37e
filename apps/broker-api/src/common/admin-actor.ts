import type { NewSandboxEvent } from '@broker/domain';

/** Who asked for an operator action: the admin token's name and the request id, for the event log. */
export interface AdminActor {
  readonly tokenName: string;
  readonly requestId: string | undefined;
}

/**
 * The event of an operator action not tied to one sandbox (a bulk delete's summary, a quota
 * change, a job trigger): type `admin_action`, actor the token's name, the request id when known.
 */
export function adminActionEvent(
  actor: AdminActor,
  action: string,
  details: NonNullable<NewSandboxEvent['details']>,
): NewSandboxEvent {
  return {
    type: 'admin_action',
    sandboxId: null,
    actor: { kind: 'admin', id: actor.tokenName },
    action,
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
    details,
  };
}
