import type { EpochSeconds } from '../sandbox/sandbox';
import { holdPhase, prefixesOverlap, type ReservationHold } from './reservation';

/**
 * What a live hold still takes from the stock: its seats not yet allocated, until its
 * `releaseAt` (then the unclaimed ones go back). Sandboxes are used once, so a hold takes stock
 * from now on whatever its window: a morning class's sandboxes are gone for the afternoon.
 */
export function outstandingSeats(
  hold: ReservationHold,
  allocated: number,
  now: EpochSeconds,
): number {
  const phase = holdPhase(hold, now);
  if (phase === 'over' || phase === 'released') return 0;
  return Math.max(0, hold.count - allocated);
}

/** The capacity check's inputs and verdict (numbers of sandboxes). */
export interface CapacityCheck {
  /** Unused sandboxes matching the prefix: available + reserved (earmarked, not yet taken). */
  readonly stock: number;
  /** Seats live holds on overlapping prefixes still take from that stock. */
  readonly committed: number;
  readonly requested: number;
  /** `max(0, requested − (stock − committed))`; 0 means the reservation fits. */
  readonly shortfall: number;
}

/**
 * `stock − Σ outstanding seats of live holds whose prefix overlaps` must cover `requested`.
 * Conservative: a hold on `lab-` counts against a booking on `lab-a-` in full.
 */
export function checkCapacity(input: {
  readonly stock: number;
  readonly namePrefix: string;
  readonly requested: number;
  readonly holds: readonly { readonly hold: ReservationHold; readonly allocated: number }[];
  readonly now: EpochSeconds;
  /** Leave this hold out (a resize re-checks its own reservation's new count). */
  readonly excluding?: string;
}): CapacityCheck {
  let committed = 0;
  for (const { hold, allocated } of input.holds) {
    if (hold.reservationId === input.excluding) continue;
    if (!prefixesOverlap(hold.namePrefix, input.namePrefix)) continue;
    committed += outstandingSeats(hold, allocated, input.now);
  }
  const free = input.stock - committed;
  return {
    stock: input.stock,
    committed,
    requested: input.requested,
    shortfall: Math.max(0, input.requested - free),
  };
}

/** One reservation window of the forecast, in start order. */
export interface ForecastWindow {
  readonly reservationId: string;
  readonly track: string;
  readonly namePrefix: string;
  readonly startsAt: EpochSeconds;
  readonly endsAt: EpochSeconds;
  /** Seats it still needs. */
  readonly outstanding: number;
  /** Seats of it and every earlier-starting overlapping hold together. */
  readonly cumulative: number;
  /** Sandboxes to create at the provider before its start: `max(0, cumulative − stock)`. */
  readonly shortfall: number;
}

/**
 * The stock `stock` against the live holds on `namePrefix` starting within the horizon, taken in
 * start order (sandboxes are used once, so each class consumes what the earlier ones left).
 */
export function forecastWindows(input: {
  readonly stock: number;
  readonly namePrefix: string;
  readonly holds: readonly { readonly hold: ReservationHold; readonly allocated: number }[];
  readonly now: EpochSeconds;
  readonly until: EpochSeconds;
}): ForecastWindow[] {
  const live = input.holds
    .filter(({ hold }) => prefixesOverlap(hold.namePrefix, input.namePrefix))
    .filter(({ hold }) => hold.startsAt <= input.until)
    .map(({ hold, allocated }) => ({
      hold,
      outstanding: outstandingSeats(hold, allocated, input.now),
    }))
    .filter(({ outstanding }) => outstanding > 0)
    .sort(
      (a, b) =>
        a.hold.startsAt - b.hold.startsAt || (a.hold.reservationId < b.hold.reservationId ? -1 : 1),
    );
  let cumulative = 0;
  return live.map(({ hold, outstanding }) => {
    cumulative += outstanding;
    return {
      reservationId: hold.reservationId,
      track: hold.track,
      namePrefix: hold.namePrefix,
      startsAt: hold.startsAt,
      endsAt: hold.endsAt,
      outstanding,
      cumulative,
      shortfall: Math.max(0, cumulative - input.stock),
    };
  });
}
