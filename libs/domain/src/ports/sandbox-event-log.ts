import type { SandboxStatus } from '../sandbox/sandbox-status';
import type { Page, PageRequest } from './page';

/** What happened: a state transition, or an operator action that changed nothing's state. */
export type SandboxEventType =
  /** A row changed status (`from` → `to`). */
  | 'transition'
  /** An admin action (bulk delete, repair, job trigger); `action` names it. */
  | 'admin_action';

/** Who did it. `kind` + `id`: a student id, a token's name, or a job name. */
export interface EventActor {
  readonly kind: 'student' | 'admin' | 'job' | 'system';
  readonly id: string;
  /**
   * The configured name of the bearer token the request came with (never the token itself):
   * which lab's track token acted for a student. Absent for jobs and for events recorded before
   * it existed.
   */
  readonly via?: string;
}

export interface SandboxEvent {
  /** Unique, time-ordered (a ULID-like id: sorts by time, then randomness). */
  readonly eventId: string;
  /** Epoch milliseconds. */
  readonly atMs: number;
  readonly type: SandboxEventType;
  /** Null for actions not tied to one sandbox (a bulk delete's summary, a job trigger). */
  readonly sandboxId: string | null;
  readonly from?: SandboxStatus;
  readonly to?: SandboxStatus;
  readonly actor: EventActor;
  /** Short verb: `allocate`, `release`, `expire`, `delete`, `bulk_delete`, `quarantine`, … */
  readonly action: string;
  readonly requestId?: string;
  /** Small free-form details (counts, reason); never secrets. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** What callers hand in; the log assigns `eventId` and `atMs`. */
export type NewSandboxEvent = Omit<SandboxEvent, 'eventId' | 'atMs'> & { readonly atMs?: number };

export interface ListEventsQuery extends PageRequest {
  readonly sandboxId?: string | undefined;
  readonly type?: SandboxEventType | undefined;
  /** Inclusive epoch-ms bounds. */
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
}

/**
 * The audit trail of every transition and admin action, newest first. `record` never throws and
 * never blocks the caller's request on a store round-trip: implementations may buffer and write in
 * batches (an event can be lost if the process dies before its flush — it is an audit log, not
 * the source of truth; the row itself is).
 */
export interface SandboxEventLog {
  record(event: NewSandboxEvent): void;
  /** Newest first; the cursor is opaque; a bad cursor throws InvalidCursorError. */
  list(query: ListEventsQuery): Promise<Page<SandboxEvent>>;
  /** Write everything buffered (shutdown, tests). */
  flush(): Promise<void>;
}

export const SANDBOX_EVENT_LOG = Symbol.for('broker.SandboxEventLog');
