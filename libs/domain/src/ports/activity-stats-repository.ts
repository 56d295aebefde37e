/** One hour in milliseconds: the bucket of every activity counter. */
export const HOUR_MS = 3_600_000;

/** Start (epoch ms, UTC) of the hour holding `ms`. */
export function hourStartOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** What cleanup runs did in one hour (or in total), counted by the cleanup job. */
export interface CleanupOutcomeCounts {
  /** Provider accounts deleted and tombstoned. */
  readonly deleted: number;
  /** Deletions that failed and were scheduled again. */
  readonly retried: number;
  /** Deletions that failed for good this run (deletion_failed). */
  readonly failed: number;
  /** Rows quarantined after too many attempts. */
  readonly quarantined: number;
  readonly niosxaasCleaned: number;
  readonly niosxaasSkipped: number;
  readonly niosxaasFailed: number;
}

export const CLEANUP_OUTCOME_FIELDS: readonly (keyof CleanupOutcomeCounts)[] = [
  'deleted',
  'retried',
  'failed',
  'quarantined',
  'niosxaasCleaned',
  'niosxaasSkipped',
  'niosxaasFailed',
];

export function zeroCleanupOutcomes(): CleanupOutcomeCounts {
  return {
    deleted: 0,
    retried: 0,
    failed: 0,
    quarantined: 0,
    niosxaasCleaned: 0,
    niosxaasSkipped: 0,
    niosxaasFailed: 0,
  };
}

/** Sandboxes held now per track, as the last recount found them. */
export interface TrackAllocationSnapshot {
  /** When the recount finished (epoch ms). */
  readonly asOfMs: number;
  /** Tracks with at least one allocated sandbox, most held first. */
  readonly tracks: readonly { readonly track: string; readonly allocated: number }[];
}

/**
 * Counters behind the console's charts, written off the request path (event-log flush, end of a
 * cleanup run, a recount job) and read by key: an hour range is at most 168 keyed reads, never a
 * scan of events or rows. Counters are additive: concurrent writers add up exactly.
 */
export interface ActivityStatsRepository {
  /** Adds allocation counts per hour (key: hour start, epoch ms). */
  addAllocations(perHour: ReadonlyMap<number, number>): Promise<void>;
  /** `hours` counts, oldest first, from the hour starting at `fromHourMs`; missing hours are 0. */
  allocationsPerHour(fromHourMs: number, hours: number): Promise<number[]>;
  /** Adds one cleanup run's outcomes to the hour starting at `hourStartMs`. */
  addCleanupOutcomes(hourStartMs: number, counts: Partial<CleanupOutcomeCounts>): Promise<void>;
  /** `hours` buckets, oldest first; missing hours are all zero. */
  cleanupPerHour(fromHourMs: number, hours: number): Promise<CleanupOutcomeCounts[]>;
  /** Replaces the snapshot unless a newer one is already stored. */
  writeTrackSnapshot(snapshot: TrackAllocationSnapshot): Promise<void>;
  readTrackSnapshot(): Promise<TrackAllocationSnapshot | null>;
}

export const ACTIVITY_STATS_REPOSITORY = Symbol.for('broker.ActivityStatsRepository');
