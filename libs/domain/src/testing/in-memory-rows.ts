import { InvalidCursorError, InvalidTransitionError } from '../errors/domain-errors';
import { decodeCursor, encodeCursor } from '../paging/opaque-cursor';
import type { Page } from '../ports/page';
import type { ProviderDiscrepancies } from '../ports/sandbox-admin-repository';
import { nowSeconds, type Clock } from '../ports/clock';
import type { EpochSeconds, Sandbox } from '../sandbox/sandbox';
import type { TrackQuota } from '../quota/track-quota';
import { SandboxStatus } from '../sandbox/sandbox-status';
import { sourcesOf, type TransitionActor } from '../sandbox/transitions';
import { releaseQuotaUnit } from './in-memory-track-quotas';

/** A sandbox row as the store holds it, with the claim token it was allocated under. */
export interface StoredRow {
  readonly sandbox: Sandbox;
  /** Token of the claim the sandbox was allocated under (never shown to callers). */
  readonly claimToken?: string;
}

export interface SupersededCandidate {
  readonly sandboxId: string;
  readonly token: string;
}

export interface StoredClaim {
  readonly studentId: string;
  readonly idempotencyKey: string;
  readonly sandboxId: string;
  readonly token: string;
  readonly createdAt: number;
  readonly deadlineMs: number;
  readonly superseded: readonly SupersededCandidate[];
  /** Still listed for the repair job. */
  readonly open: boolean;
}

/** The allocation path's view of the in-memory reservations. */
export interface InMemoryReservationHook {
  /** The open reservation whose earmarked set the request draws from first, if any. */
  servingReservation(track: string | undefined, prefix: string): string | undefined;
  /** Count an allocation from the reservation's earmarked set. */
  allocatedFrom(reservationId: string): void;
}

/** One status change, the in-memory twin of libs/dynamo-repo's `StatusChange`. */
export interface MemoryStatusChange {
  readonly sandboxId: string;
  readonly to: SandboxStatus;
  readonly by: TransitionActor;
  /** Fewer sources than the table allows; a status the table does not allow is refused. */
  readonly from?: readonly SandboxStatus[];
  /** Also match a row already in `to`. */
  readonly orUnchanged?: boolean;
  /** Condition on top of the status condition. */
  readonly when?: (row: StoredRow) => boolean;
  /** Fields written with the status (`staleSince` is dropped unless set here). */
  readonly fields?: (now: EpochSeconds, current: Sandbox) => Partial<Sandbox>;
  /** Replaces the row's claim token (allocation). */
  readonly claimToken?: string;
}

/**
 * The rows and claims every in-memory repository of one store shares (pool, lifecycle, admin),
 * with the one status writer: its source statuses come from TRANSITIONS, like the DynamoDB
 * TransitionWriter's, and each change runs synchronously to completion (atomic, like a single
 * conditional write).
 */
export class InMemoryRows {
  readonly rows = new Map<string, StoredRow>();
  readonly claims = new Map<string, StoredClaim>();
  /** The last complete sync's provider discrepancies (admin stats). */
  discrepancies: ProviderDiscrepancies | null = null;
  /** Per-track quotas and their counters (InMemoryTrackQuotaRepository). */
  readonly quotas = new Map<string, TrackQuota>();
  /** Set by the in-memory reservations: which reservation a class allocation draws from. */
  reservations: InMemoryReservationHook | null = null;

  constructor(readonly clock: Clock) {}

  /** The row after the change, or null when it was not in a source state (nothing changed). */
  transition(change: MemoryStatusChange): Sandbox | null {
    const allowed = sourcesOf(change.to, change.by);
    const sources = change.from ?? allowed;
    const refused = sources.find((status) => !allowed.includes(status));
    if (refused !== undefined || sources.length === 0) {
      throw new InvalidTransitionError(change.sandboxId, refused ?? change.to, change.to);
    }
    const row = this.rows.get(change.sandboxId);
    if (!row) return null;
    const { status } = row.sandbox;
    const matches = sources.includes(status) || (change.orUnchanged && status === change.to);
    if (!matches || (change.when && !change.when(row))) return null;
    const now = nowSeconds(this.clock);
    const { staleSince: _staleSince, ...rest } = row.sandbox;
    const written: Sandbox = {
      ...rest,
      ...change.fields?.(now, row.sandbox),
      status: change.to,
      updatedAt: now,
      version: row.sandbox.version + 1,
    };
    // A field set to undefined is removed, as REMOVE leaves it on a DynamoDB row.
    const sandbox = Object.fromEntries(
      Object.entries(written).filter(([, value]) => value !== undefined),
    ) as unknown as Sandbox;
    const claimToken = change.claimToken ?? row.claimToken;
    this.rows.set(
      change.sandboxId,
      claimToken === undefined ? { sandbox } : { sandbox, claimToken },
    );
    // Leaving `allocated` ends a holding: its track's quota unit goes back in the same step
    // (the DynamoDB TransitionWriter does this right after its write).
    if (status === SandboxStatus.Allocated && change.to !== status && sandbox.trackName) {
      releaseQuotaUnit(this, sandbox.trackName);
    }
    return sandbox;
  }
}

/**
 * One page of `sandboxes` in the order of `keyOf`, after the cursor's key: the in-memory twin of
 * an index Query (unique keys, opaque cursor bound to `filter`; a bad cursor throws).
 */
export function pageByKey(
  sandboxes: Iterable<Sandbox>,
  keyOf: (sandbox: Sandbox) => string,
  query: { readonly limit: number; readonly cursor?: string | undefined },
  filter: string,
): Page<Sandbox> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, filter);
  if (after !== null && typeof after !== 'string') throw new InvalidCursorError();
  const matching = [...sandboxes]
    .map((s) => ({ s, key: keyOf(s) }))
    .filter(({ key }) => after === null || key > after)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = matching.slice(0, Math.max(1, query.limit));
  const last = page[page.length - 1];
  const cursor = matching.length > page.length && last ? encodeCursor(filter, last.key) : null;
  return { items: page.map(({ s }) => s), cursor };
}
