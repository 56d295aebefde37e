import {
  type ActivityStatsRepository,
  CLEANUP_OUTCOME_FIELDS,
  type CleanupOutcomeCounts,
  HOUR_MS,
  type TrackAllocationSnapshot,
  zeroCleanupOutcomes,
} from '../ports/activity-stats-repository';

/** In-memory twin of DynamoActivityStatsRepository (same contract, libs/dynamo-repo/test). */
export class InMemoryActivityStatsRepository implements ActivityStatsRepository {
  private readonly allocations = new Map<number, number>();
  private readonly cleanups = new Map<number, CleanupOutcomeCounts>();
  private snapshot: TrackAllocationSnapshot | null = null;

  addAllocations(perHour: ReadonlyMap<number, number>): Promise<void> {
    for (const [hour, count] of perHour) {
      if (count > 0) this.allocations.set(hour, (this.allocations.get(hour) ?? 0) + count);
    }
    return Promise.resolve();
  }

  allocationsPerHour(fromHourMs: number, hours: number): Promise<number[]> {
    return Promise.resolve(
      Array.from({ length: hours }, (_, i) => this.allocations.get(fromHourMs + i * HOUR_MS) ?? 0),
    );
  }

  addCleanupOutcomes(hourStartMs: number, counts: Partial<CleanupOutcomeCounts>): Promise<void> {
    const current: Record<string, number> = {
      ...(this.cleanups.get(hourStartMs) ?? zeroCleanupOutcomes()),
    };
    for (const field of CLEANUP_OUTCOME_FIELDS) {
      current[field] = (current[field] ?? 0) + (counts[field] ?? 0);
    }
    this.cleanups.set(hourStartMs, current as unknown as CleanupOutcomeCounts);
    return Promise.resolve();
  }

  cleanupPerHour(fromHourMs: number, hours: number): Promise<CleanupOutcomeCounts[]> {
    return Promise.resolve(
      Array.from({ length: hours }, (_, i) => ({
        ...(this.cleanups.get(fromHourMs + i * HOUR_MS) ?? zeroCleanupOutcomes()),
      })),
    );
  }

  writeTrackSnapshot(snapshot: TrackAllocationSnapshot): Promise<void> {
    if (this.snapshot === null || this.snapshot.asOfMs <= snapshot.asOfMs) {
      this.snapshot = { asOfMs: snapshot.asOfMs, tracks: snapshot.tracks.map((t) => ({ ...t })) };
    }
    return Promise.resolve();
  }

  readTrackSnapshot(): Promise<TrackAllocationSnapshot | null> {
    return Promise.resolve(this.snapshot);
  }
}
