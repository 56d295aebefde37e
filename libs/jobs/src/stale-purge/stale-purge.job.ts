import {
  type EpochSeconds,
  type EventActor,
  nowSeconds,
  SandboxStatus,
  type Clock,
  type SandboxEventLog,
  type SandboxLifecycleRepository,
  type SandboxReadRepository,
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
  readonly pool: Pick<SandboxReadRepository, 'list'>;
  readonly lifecycle: Pick<SandboxLifecycleRepository, 'purgeStale'>;
  readonly clock: Clock;
  readonly logger?: JobLogger;
  /** Audit trail: stale → deleted (tombstone). */
  readonly events?: SandboxEventLog;
}

/** One purge pass: who runs it (the job, or an operator through the admin API) and how far. */
export interface StalePurgePass {
  /** Rows stale since this instant (epoch seconds) or earlier become tombstones. */
  readonly cutoff: EpochSeconds;
  readonly stop: AbortSignal;
  /** At most this many stale rows are examined (default: all). */
  readonly limit?: number;
  readonly actor: EventActor;
  readonly action: string;
  readonly requestId?: string | undefined;
  readonly pageSize?: number;
}

/**
 * Stale rows stale since `cutoff` or earlier → deleted, each one conditional write that a sync
 * reviving the row wins; each change is recorded as `actor`'s. Shared by the stale-purge job and
 * the admin API's delete-stale.
 */
export async function purgeStaleRows(
  deps: StalePurgeDeps,
  pass: StalePurgePass,
): Promise<StalePurgeResult> {
  const { pool, lifecycle } = deps;
  const result: StalePurgeResult = { checked: 0, purged: 0, failed: 0 };
  const due: string[] = [];
  for await (const row of sandboxesIn(pool, SandboxStatus.Stale, {
    pageSize: pass.pageSize ?? 100,
    signal: pass.stop,
    ...(pass.limit !== undefined ? { limit: pass.limit } : {}),
  })) {
    result.checked += 1;
    if ((row.staleSince ?? row.updatedAt) <= pass.cutoff) due.push(row.sandboxId);
  }
  const { changed, failed } = await transitionEach(due, {
    job: 'stale-purge',
    actor: pass.actor,
    requestId: pass.requestId,
    stop: pass.stop,
    write: (sandboxId) => lifecycle.purgeStale(sandboxId, pass.cutoff),
    change: { from: SandboxStatus.Stale, to: SandboxStatus.Deleted, action: pass.action },
    events: deps.events,
    logger: deps.logger ?? silentJobLogger,
  });
  result.purged = changed;
  result.failed = failed;
  return result;
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

  run(ctx: JobContext): Promise<StalePurgeResult> {
    return purgeStaleRows(this.deps, {
      cutoff: nowSeconds(this.deps.clock) - this.options.graceSeconds,
      stop: ctx.stop,
      actor: { kind: 'job', id: this.name },
      action: 'purge_stale',
      ...(this.options.pageSize !== undefined ? { pageSize: this.options.pageSize } : {}),
    });
  }
}
