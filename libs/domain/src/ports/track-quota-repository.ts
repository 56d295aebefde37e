import type { QuotaAcquireOutcome, TrackQuota, TrackQuotaPut } from '../quota/track-quota';
import type { Page, PageRequest } from './page';

/**
 * The counter side of per-track quotas, as the allocation path and every release path use it.
 * One single-item conditional write each, so the quota holds under any concurrency.
 */
export interface TrackQuotaCounter {
  /**
   * Take one unit of `track`'s quota: `held + 1` only if `held < max_allocated` (one conditional
   * write). `'unlimited'` when the track has no quota (nothing written). Throws
   * TrackQuotaExceededError (with the limit and held) when the track is at its quota.
   */
  acquire(track: string): Promise<QuotaAcquireOutcome>;

  /**
   * Give one unit back: `held - 1` only if `held > 0`; nothing when the track has no quota.
   * Never throws for a missing quota or a zero counter (the repair job corrects drift).
   */
  release(track: string): Promise<void>;
}

/** Operator writes and reads of quotas, plus what the repair job needs. */
export interface TrackQuotaRepository extends TrackQuotaCounter {
  /**
   * Create or change `track`'s quota. A new quota's counter starts at `initialHeld` (the
   * track's allocated sandboxes, counted by the caller); an existing one keeps its counter.
   */
  put(track: string, maxAllocated: number, initialHeld: number): Promise<TrackQuotaPut>;

  /** The quota, or null when the track has none. */
  get(track: string): Promise<TrackQuota | null>;

  /** Remove the quota (the track is unlimited again); false when there was none. */
  delete(track: string): Promise<boolean>;

  /** Quotas in track order; the cursor is opaque (InvalidCursorError when foreign or bad). */
  list(page: PageRequest): Promise<Page<TrackQuota>>;

  /**
   * Allocated sandboxes per track slug, counted from the StatusIndex `allocated` partitions
   * (an index read of every allocated row's track, never a table scan; for the repair job
   * and for a new quota's first counter). Tracks with none are absent.
   */
  countAllocatedByTrack(): Promise<ReadonlyMap<string, number>>;

  /**
   * Set the counter to `held` only if it still is `expectedHeld` (so a concurrent allocation
   * or release is never overwritten); false when it changed or the quota is gone.
   */
  reconcile(track: string, expectedHeld: number, held: number): Promise<boolean>;
}

export const TRACK_QUOTA_REPOSITORY = Symbol.for('broker.TrackQuotaRepository');
