/** Every domain error code: the HTTP layer's DOMAIN_PROBLEMS maps each to a status. */
export const DOMAIN_ERROR_CODES = [
  'NO_SANDBOXES_AVAILABLE',
  'SANDBOX_NOT_FOUND',
  'NOT_SANDBOX_OWNER',
  'INVALID_STATE_TRANSITION',
  'CONCURRENT_MODIFICATION',
  'ALLOCATION_IN_PROGRESS',
  'INVALID_CURSOR',
  'JOB_ALREADY_RUNNING',
  'JOB_FAILED',
  'JOB_RUN_NOT_FOUND',
  'FORCE_REQUIRED',
  'JOB_NOT_PICKED_UP',
  'STORE_UNAVAILABLE',
  'SANDBOX_NOT_ALLOCATED',
  'EXTENSION_LIMIT_REACHED',
  'TRACK_QUOTA_EXCEEDED',
  'TRACK_NOT_FOUND',
  'INSUFFICIENT_CAPACITY',
  'RESERVATION_NOT_FOUND',
  'RESERVATION_NOT_ACTIVE',
  'INVALID_RESERVATION_WINDOW',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/**
 * Domain errors carry a stable `code`; the HTTP layer maps codes to statuses. Messages never name
 * another student.
 */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  /** Extra members of the problem body (snake_case, safe to show), e.g. the extension limits. */
  readonly problemFields?: Readonly<Record<string, unknown>>;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NoSandboxesAvailableError extends DomainError {
  readonly code = 'NO_SANDBOXES_AVAILABLE';

  constructor(readonly namePrefix?: string) {
    super(
      namePrefix
        ? `No sandboxes available with name prefix '${namePrefix}'`
        : 'No sandboxes available in pool',
    );
  }
}

export class SandboxNotFoundError extends DomainError {
  readonly code = 'SANDBOX_NOT_FOUND';

  constructor(readonly sandboxId: string) {
    super(`Sandbox ${sandboxId} not found`);
  }
}

export class NotSandboxOwnerError extends DomainError {
  readonly code = 'NOT_SANDBOX_OWNER';

  constructor(readonly sandboxId: string) {
    super(`Sandbox ${sandboxId} is not allocated to you`);
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_STATE_TRANSITION';

  constructor(
    readonly sandboxId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`Sandbox ${sandboxId} cannot move from ${from} to ${to}`);
  }
}

/** A conditional write lost to a concurrent writer more often than the operation allows. */
export class ConcurrentModificationError extends DomainError {
  readonly code = 'CONCURRENT_MODIFICATION';

  constructor(readonly subject: string) {
    super(`${subject} was modified concurrently; retry the request`);
  }
}

/** The student's earlier allocation request with the same key is still in flight. */
export class AllocationInProgressError extends DomainError {
  readonly code = 'ALLOCATION_IN_PROGRESS';

  constructor() {
    super('An allocation for this student is still in progress; retry shortly');
  }
}

export class InvalidCursorError extends DomainError {
  readonly code = 'INVALID_CURSOR';

  constructor() {
    super('The cursor is malformed or belongs to a different query');
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A job's lease is held (a worker, another API task, an earlier trigger): nothing was started. */
export class JobAlreadyRunningError extends DomainError {
  readonly code = 'JOB_ALREADY_RUNNING';

  constructor(readonly job: string) {
    super(`The ${job} job is already running; retry when it has finished`);
  }
}

/** A triggered job run ended in an error (provider or store failure). */
export class JobFailedError extends DomainError {
  readonly code = 'JOB_FAILED';

  constructor(
    readonly job: string,
    readonly runId: string,
    reason: string,
  ) {
    super(`The ${job} run ${runId} failed: ${reason}`);
  }
}

/** A triggered run's request was not picked up by any worker before its pickup deadline. */
export class JobNotPickedUpError extends DomainError {
  readonly code = 'JOB_NOT_PICKED_UP';

  constructor(
    readonly job: string,
    readonly runId: string,
  ) {
    super(`No worker picked up the ${job} run ${runId} in time; is the worker running?`);
  }
}

export class JobRunNotFoundError extends DomainError {
  readonly code = 'JOB_RUN_NOT_FOUND';

  constructor(readonly runId: string) {
    super(`Job run ${runId} not found`);
  }
}

/** A bulk change of allocated or in-deletion rows was asked for without `force=true`. */
export class ForceRequiredError extends DomainError {
  readonly code = 'FORCE_REQUIRED';

  constructor(readonly status: string) {
    super(`Rows in status ${status} are only changed with force=true`);
  }
}

/**
 * The store did not answer within its deadline, refused the connection, or answered 5xx or
 * throttled after retries: nothing is known to have changed; retry later (issue #12 §4).
 */
export class StoreUnavailableError extends DomainError {
  readonly code = 'STORE_UNAVAILABLE';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`The sandbox store is unavailable (${reason}); retry shortly`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The owner's sandbox is no longer allocated (released, expired or deleted): nothing to extend. */
export class SandboxNotAllocatedError extends DomainError {
  readonly code = 'SANDBOX_NOT_ALLOCATED';

  constructor(
    readonly sandboxId: string,
    readonly status: string,
  ) {
    super(`Sandbox ${sandboxId} is ${status}, not allocated`);
  }
}

/** The limits an extension ran into, as the problem body's `limits` shows them. */
export interface ExtensionLimits {
  readonly step_minutes: number;
  readonly max_count: number;
  readonly max_lease_hours: number;
  /** Extensions this allocation already had. */
  readonly extension_count: number;
}

/** No further self-extension: the count is used up or the longest lease is reached. */
export class ExtensionLimitReachedError extends DomainError {
  readonly code = 'EXTENSION_LIMIT_REACHED';
  override readonly problemFields: { readonly limits: ExtensionLimits };

  constructor(
    readonly sandboxId: string,
    readonly limits: ExtensionLimits,
  ) {
    super(
      `Sandbox ${sandboxId} cannot be extended further (at most ${limits?.max_count} ` +
        `extensions, lease at most ${limits?.max_lease_hours} h from allocation)`,
    );
    this.problemFields = { limits };
  }
}

/** What TRACK_QUOTA_EXCEEDED tells the caller (problem body member `quota`). */
export interface TrackQuotaFacts {
  readonly track: string;
  readonly max_allocated: number;
  readonly held: number;
}

/** The track holds as many sandboxes as its quota allows (distinct from an empty pool). */
export class TrackQuotaExceededError extends DomainError {
  readonly code = 'TRACK_QUOTA_EXCEEDED';
  override readonly problemFields: { readonly quota: TrackQuotaFacts };

  constructor(readonly quota: TrackQuotaFacts) {
    super(
      quota.max_allocated === 0
        ? `Track '${quota.track}' is closed (its quota is 0); an operator must raise or remove the quota`
        : `Track '${quota.track}' holds ${quota.held} sandboxes, its quota allows ` +
            `${quota.max_allocated}; retry when one is released`,
    );
    this.problemFields = { quota };
  }
}

/** The track has no quota (GET or DELETE of an unknown track quota). */
export class TrackNotFoundError extends DomainError {
  readonly code = 'TRACK_NOT_FOUND';

  constructor(readonly track: string) {
    super(`Track '${track}' has no quota`);
  }
}

/** The stock, less what live reservations still hold, does not cover the requested count. */
export class InsufficientCapacityError extends DomainError {
  readonly code = 'INSUFFICIENT_CAPACITY';
  override readonly problemFields: {
    readonly shortfall: number;
    readonly available: number;
    readonly committed: number;
    readonly requested: number;
  };

  constructor(check: {
    readonly stock: number;
    readonly committed: number;
    readonly requested: number;
    readonly shortfall: number;
  }) {
    super(
      `Not enough sandboxes: ${check.requested} requested, ${check.stock} in stock, ` +
        `${check.committed} held by other reservations (short by ${check.shortfall})`,
    );
    this.problemFields = {
      shortfall: check.shortfall,
      available: check.stock,
      committed: check.committed,
      requested: check.requested,
    };
  }
}

export class ReservationNotFoundError extends DomainError {
  readonly code = 'RESERVATION_NOT_FOUND';

  constructor(readonly reservationId: string) {
    super(`Reservation ${reservationId} not found`);
  }
}

/** A cancelled or ended reservation cannot be resized (or an ended one cancelled). */
export class ReservationNotActiveError extends DomainError {
  readonly code = 'RESERVATION_NOT_ACTIVE';

  constructor(
    readonly reservationId: string,
    readonly status: string,
  ) {
    super(`Reservation ${reservationId} is ${status}`);
  }
}

/** A window that ends before it starts or lies wholly in the past (400). */
export class InvalidReservationWindowError extends DomainError {
  readonly code = 'INVALID_RESERVATION_WINDOW';

  constructor(reason: string) {
    super(reason);
  }
}
