import type { EpochSeconds } from '../sandbox/sandbox';

/**
 * Track slugs as X-Instruqt-Track-ID carries them: printable ASCII without spaces, `:` or `,`
 * (the separators of TRACK_LEASE_MINUTES), 1–256 characters.
 */
export const TRACK_SLUG_PATTERN = /^[\x21-\x2b\x2d-\x39\x3b-\x7e]{1,256}$/;

/** The largest `max_allocated` an operator may set (far above any pool; refuses typos). */
export const MAX_TRACK_QUOTA = 100_000;

/** How many sandboxes a track may hold at once, and how many it holds by the counter. */
export interface TrackQuota {
  readonly track: string;
  /** At most this many sandboxes allocated for the track at once; 0 closes the track. */
  readonly maxAllocated: number;
  /**
   * The per-track counter: units taken by allocations and not yet given back. Equals the
   * track's allocated sandboxes except briefly around a write, or after a crash between the
   * counter write and the sandbox write (the quota-repair job then resets it).
   */
  readonly held: number;
  readonly updatedAt: EpochSeconds;
}

/** `put`'s outcome: the quota as stored, and whether it is new (201) or changed (200). */
export interface TrackQuotaPut {
  readonly quota: TrackQuota;
  readonly created: boolean;
}

/** Whether an allocation took a unit of its track's quota (`unlimited`: the track has none). */
export type QuotaAcquireOutcome = 'acquired' | 'unlimited';
