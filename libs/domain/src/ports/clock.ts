import type { EpochSeconds } from '../sandbox/sandbox';

/** Injected time source so rules and jobs can be tested at any instant. */
export interface Clock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export function nowSeconds(clock: Clock): EpochSeconds {
  return Math.floor(clock.nowMs() / 1000);
}

export const CLOCK = Symbol.for('broker.Clock');
