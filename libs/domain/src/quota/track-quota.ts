import { InvalidCursorError } from '../errors/domain-errors';
import { decodeCursor, encodeCursor } from '../paging/opaque-cursor';
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

const QUOTA_CURSOR_FILTER = 'track-quotas';

/** The quota listing's cursor: the last track of the page (opaque to callers). */
export function encodeQuotaCursor(track: string): string {
  return encodeCursor(QUOTA_CURSOR_FILTER, { t: track });
}

/** The last track of the previous page; InvalidCursorError for anything this listing did not issue. */
export function decodeQuotaCursor(raw: string): string {
  const position = decodeCursor(raw, QUOTA_CURSOR_FILTER) as Record<string, unknown> | null;
  const track =
    position !== null && typeof position === 'object' && !Array.isArray(position)
      ? position['t']
      : undefined;
  if (
    typeof track !== 'string' ||
    Object.keys(position ?? {}).length !== 1 ||
    !TRACK_SLUG_PATTERN.test(track)
  ) {
    throw new InvalidCursorError();
  }
  return track;
}
