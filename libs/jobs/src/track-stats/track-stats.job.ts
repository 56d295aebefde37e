import {
  type ActivityStatsRepository,
  type Clock,
  type SandboxRepository,
  SandboxStatus,
} from '@broker/domain';
import { sandboxesIn } from '../limits/pages';
import type { Job, JobContext } from '../runner/job';

/** What one recount found. */
export interface TrackStatsResult {
  readonly allocated: number;
  readonly tracks: number;
  /** False when the run stopped early (shutdown): no snapshot was written. */
  readonly written: boolean;
}

/** Allocated rows read per index page. */
const PAGE_SIZE = 500;
/** Bound on rows read per run (far above any pool): the loop always ends. */
const MAX_ROWS = 1_000_000;

/**
 * Recounts the sandboxes held now per track from the StatusIndex `allocated#<shard>` partitions
 * (index queries of allocated rows only, never a scan) and writes one snapshot item
 * (`GET /v1/admin/stats/tracks` reads it). A newer snapshot is never replaced by an older one.
 */
export class TrackStatsJob implements Job<TrackStatsResult> {
  readonly name = 'track-stats' as const;

  constructor(
    private readonly deps: {
      readonly pool: Pick<SandboxRepository, 'list'>;
      readonly activity: Pick<ActivityStatsRepository, 'writeTrackSnapshot'>;
      readonly clock: Clock;
    },
  ) {}

  async run(ctx: JobContext): Promise<TrackStatsResult> {
    const perTrack = new Map<string, number>();
    let allocated = 0;
    for await (const sandbox of sandboxesIn(this.deps.pool, SandboxStatus.Allocated, {
      pageSize: PAGE_SIZE,
      limit: MAX_ROWS,
      signal: ctx.stop,
    })) {
      allocated += 1;
      const track = sandbox.trackName ?? '(none)';
      perTrack.set(track, (perTrack.get(track) ?? 0) + 1);
    }
    if (ctx.stop.aborted) return { allocated, tracks: perTrack.size, written: false };
    const tracks = [...perTrack]
      .map(([track, count]) => ({ track, allocated: count }))
      .sort((a, b) => b.allocated - a.allocated || a.track.localeCompare(b.track));
    await this.deps.activity.writeTrackSnapshot({ asOfMs: this.deps.clock.nowMs(), tracks });
    return { allocated, tracks: tracks.length, written: true };
  }
}
