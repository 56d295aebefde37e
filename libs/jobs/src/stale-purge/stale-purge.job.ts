import {
  nowSeconds,
  SandboxStatus,
  type Clock,
  type SandboxEventLog,
  type SandboxLifecycleRepository,
  type SandboxRepository,
} from '@broker/domain';
import { transitionEach } from '../events/job-events';
import { sandboxesIn } from '../limits/pages';
import { silentJobLogger, type Job, type JobContext, type JobLogger } from '../runner/job';

export interface StalePurgeResult {
  checked: number;
  purged: number;
  failed: number;
}

export interface StalePurgeDeps {
  readonly pool: Pick<SandboxRepository, 'list'>;
  readonly lifecycle: Pick<SandboxLifecycleRepository, 'purgeStale'>;
  readonly clock: Clock;
  readonly logger?: JobLogger;
  /** Audit trail: stale → deleted (tombstone). */
  readonly events?: SandboxEventLog;
}

/**
 * Stale rows (the provider stopped listing them) older than the grace become tombstones; the
 * write is conditional on the row still being stale since then, so a sync reviving it wins.
 */
export class StalePurgeJob implements Job<StalePurgeResult> {
  readonly name = 'stale-purge' as const;

  constructor(
    private readonly deps: StalePurgeDeps,
    private readonly options: { graceSeconds: number; pageSize?: number },
  ) {}

  async run(ctx: JobContext): Promise<StalePurgeResult> {
    const { pool, lifecycle, clock } = this.deps;
    const logger = this.deps.logger ?? silentJobLogger;
    const cutoff = nowSeconds(clock) - this.options.graceSeconds;
    const result: StalePurgeResult = { checked: 0, purged: 0, failed: 0 };
    const due: string[] = [];
    for await (const row of sandboxesIn(pool, SandboxStatus.Stale, {
      pageSize: this.options.pageSize ?? 100,
      signal: ctx.stop,
    })) {
      result.checked += 1;
      if ((row.staleSince ?? row.updatedAt) <= cutoff) due.push(row.sandboxId);
    }
    const { changed, failed } = await transitionEach(due, {
      job: this.name,
      stop: ctx.stop,
      write: (sandboxId) => lifecycle.purgeStale(sandboxId, cutoff),
      change: { from: SandboxStatus.Stale, to: SandboxStatus.Deleted, action: 'purge_stale' },
      events: this.deps.events,
      logger,
    });
    result.purged = changed;
    result.failed = failed;
    return result;
  }
}
