import type { EpochSeconds } from '../sandbox/sandbox';

/** A reservation's life: confirmed at creation, then cancelled by an operator or ended at `endsAt`. */
export type ReservationStatus = 'confirmed' | 'cancelled' | 'ended';

export const RESERVATION_STATUSES: readonly ReservationStatus[] = [
  'confirmed',
  'cancelled',
  'ended',
];

/** What an operator books: `count` sandboxes for the students of `track` in a time window. */
export interface NewReservation {
  readonly track: string;
  /** Sandboxes guaranteed to the class, at least 1. */
  readonly count: number;
  readonly startsAt: EpochSeconds;
  readonly endsAt: EpochSeconds;
  /** Only sandboxes whose name starts with this; empty means any sandbox. */
  readonly namePrefix: string;
  /** Earmarking and the class's allocation window open `leadSeconds` before `startsAt`. */
  readonly leadSeconds: number;
  /** Unclaimed earmarked sandboxes go back to the pool this long after `startsAt`. */
  readonly releaseUnclaimedAfterSeconds: number;
  /** The admin token's name that booked it. */
  readonly createdBy: string;
}

/**
 * The hold a confirmed reservation puts on the stock: what the capacity check and the allocation
 * path need, kept for every live reservation in one ledger item (see libs/dynamo-repo README).
 */
export interface ReservationHold {
  readonly reservationId: string;
  readonly track: string;
  readonly namePrefix: string;
  readonly count: number;
  readonly startsAt: EpochSeconds;
  readonly endsAt: EpochSeconds;
  /** `startsAt − lead`: earmarking starts and the track's allocations draw from the set. */
  readonly earmarkAt: EpochSeconds;
  /** `min(startsAt + releaseUnclaimedAfter, endsAt)`: unclaimed sandboxes go back to the pool. */
  readonly releaseAt: EpochSeconds;
  /** A cancelled or ended hold stays listed until its earmarked sandboxes are released. */
  readonly status: ReservationStatus;
}

/** A reservation as the API shows it. */
export interface Reservation extends ReservationHold {
  readonly releaseUnclaimedAfterSeconds: number;
  readonly createdAt: EpochSeconds;
  readonly createdBy: string;
  readonly updatedAt: EpochSeconds;
  /** Sandboxes earmarked for it right now (status `reserved`). */
  readonly held: number;
  /** Class members who received one of its earmarked sandboxes. */
  readonly allocated: number;
  /** Seats still owed: `count − allocated`, never below 0 (0 once cancelled or ended). */
  readonly remaining: number;
}

/** The phase of a hold at `now`, which decides what the jobs and the allocation path do. */
export type HoldPhase =
  /** Before `earmarkAt`: counted by the capacity check, nothing earmarked yet. */
  | 'booked'
  /** `[earmarkAt, releaseAt)`: earmarked, topped up, the class draws from it first. */
  | 'earmarking'
  /** `[releaseAt, endsAt)`: unclaimed ones given back; the class uses the general pool. */
  | 'released'
  /** After `endsAt`, or cancelled: everything given back, the hold leaves the ledger. */
  | 'over';

export function holdPhase(hold: ReservationHold, now: EpochSeconds): HoldPhase {
  if (hold.status !== 'confirmed' || now >= hold.endsAt) return 'over';
  if (now >= hold.releaseAt) return 'released';
  if (now >= hold.earmarkAt) return 'earmarking';
  return 'booked';
}

/**
 * Whether a track's allocation at `now` should draw from this hold's earmarked set first: same
 * track, window open (`[earmarkAt, releaseAt)`), and a request prefix compatible with the
 * reservation's (the earmarked names start with the reservation's prefix).
 */
export function holdServes(
  hold: ReservationHold,
  track: string,
  requestPrefix: string,
  now: EpochSeconds,
): boolean {
  return (
    hold.track === track &&
    holdPhase(hold, now) === 'earmarking' &&
    prefixesOverlap(hold.namePrefix, requestPrefix)
  );
}

/** Two name prefixes can match the same sandbox when one starts with the other. */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

export function releaseAtOf(
  startsAt: EpochSeconds,
  endsAt: EpochSeconds,
  releaseUnclaimedAfterSeconds: number,
): EpochSeconds {
  return Math.min(startsAt + releaseUnclaimedAfterSeconds, endsAt);
}
