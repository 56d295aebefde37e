import type { CapacityCheck, ForecastWindow } from '../reservation/capacity';
import type {
  NewReservation,
  Reservation,
  ReservationHold,
  ReservationStatus,
} from '../reservation/reservation';
import type { EpochSeconds } from '../sandbox/sandbox';
import type { Page, PageRequest } from './page';

export interface ListReservationsQuery extends PageRequest {
  readonly track?: string | undefined;
  readonly status?: ReservationStatus | undefined;
}

/** `GET /v1/admin/capacity`: one name prefix's stock against the holds on it. */
export interface CapacityForecast {
  readonly namePrefix: string;
  /** Sandboxes available now (not earmarked). */
  readonly available: number;
  /** Sandboxes earmarked now (status `reserved`). */
  readonly reserved: number;
  /** Seats live holds starting within the horizon still need. */
  readonly held: number;
  readonly windows: readonly ForecastWindow[];
}

/**
 * Class reservations (issue #16 part 1). Creation and growth are checked against the stock
 * under one serialising conditional write (the capacity ledger), so two concurrent creations
 * never both confirm past the stock. Single-item conditional writes only, no scans.
 */
export interface ReservationRepository {
  /**
   * Book it, or throw InsufficientCapacityError (shortfall, stock, committed) when
   * `stock − outstanding seats of overlapping live holds < count`.
   */
  create(input: NewReservation): Promise<Reservation>;
  /** Null when unknown. `held`, `allocated`, `remaining` are read now. */
  get(reservationId: string): Promise<Reservation | null>;
  /** Newest start first; filters are applied to the reservations' index partition. */
  list(query: ListReservationsQuery): Promise<Page<Reservation>>;
  /**
   * Confirmed → cancelled (ReservationNotFoundError; a repeat returns it unchanged; an ended one
   * is refused with ReservationNotActiveError). Earmarked sandboxes are given back by the
   * reservation job (and inline by the API, best effort).
   */
  cancel(reservationId: string, by: string): Promise<Reservation>;
  /** New `count`; growing re-checks capacity (InsufficientCapacityError). */
  resize(reservationId: string, count: number): Promise<Reservation>;
  /** Stock and holds for `namePrefix` up to `until` (epoch seconds). */
  forecast(namePrefix: string, until: EpochSeconds): Promise<CapacityForecast>;
}

/** What the reservation job and the allocation path use. */
export interface ReservationLifecycleRepository {
  /** Every hold in the ledger (live and not yet cleared), one read. */
  holds(): Promise<readonly ReservationHold[]>;
  /** Sandboxes earmarked for it now, and class members allocated one of them so far. */
  counts(reservationId: string): Promise<{ held: number; allocated: number }>;
  /** Ids of sandboxes earmarked for the reservation (index query), at most `limit`. */
  earmarked(reservationId: string, limit: number): Promise<string[]>;
  /**
   * Earmark up to `want` available sandboxes matching the hold's prefix (each one conditional
   * write available → reserved); returns the ids earmarked.
   */
  earmark(hold: ReservationHold, want: number): Promise<string[]>;
  /** One sandbox available → reserved for the reservation; false when it was not available. */
  earmarkSandbox(reservationId: string, sandboxId: string): Promise<boolean>;
  /** One sandbox reserved (for this reservation) → available; false when it was not. */
  releaseSandbox(reservationId: string, sandboxId: string): Promise<boolean>;
  /** Remove a cleared hold (nothing earmarked left) from the ledger; the reservation ends. */
  clear(hold: ReservationHold, status: ReservationStatus): Promise<void>;
}

export type ReservationCapacityVerdict = CapacityCheck;

export const RESERVATION_REPOSITORY = Symbol.for('broker.ReservationRepository');
export const RESERVATION_LIFECYCLE_REPOSITORY = Symbol.for('broker.ReservationLifecycleRepository');
