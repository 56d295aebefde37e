import {
  expiryCutoff,
  isDueForExpiry,
  nowSeconds,
  SandboxStatus,
  type Clock,
  type LeasePolicy,
  type SandboxEventLog,
  type SandboxLifecycleRepository,
  type SandboxRepository,
} from '@broker/domain';
import { transitionEach } from '../events/job-events';
import { sandboxesIn } from '../limits/pages';
import { silentJobLogger, type Job, type JobContext, type JobLogger } from '../runner/job';

export interface ExpiryResult {
  checked: number;
  expired: number;
  failed: number;
}

export interface ExpiryDeps {
  readonly pool: Pick<SandboxRepository, 'list'>;
  readonly lifecycle: Pick<SandboxLifecycleRepository, 'expire'>;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly logger?: JobLogger;
  /** Audit trail: allocated → pending_deletion. */
  readonly events?: SandboxEventLog;
}

/**
 * Allocated sandboxes past `expires_at` + grace → pending_deletion. The write is conditional on
 * the row still being allocated with that `expires_at`, so a release racing it wins cleanly.
 */
export class ExpiryJob implements Job<ExpiryResult> {
  readonly name = 'expiry' as const;

  constructor(
    private readonly deps: ExpiryDeps,
    private readonly options: { pageSize?: number } = {},
  ) {}

  async run(ctx: JobContext): Promise<ExpiryResult> {
    const { pool, lifecycle, clock, lease } = this.deps;
    const logger: JobLogger = this.deps.logger ?? silentJobLogger;
    const now = nowSeconds(clock);
    const cutoff = expiryCutoff(now, lease);
    const result: ExpiryResult = { checked: 0, expired: 0, failed: 0 };
    const due: string[] = [];
    for await (const row of sandboxesIn(pool, SandboxStatus.Allocated, {
      pageSize: this.options.pageSize ?? 100,
      signal: ctx.stop,
    })) {
      result.checked += 1;
      if (isDueForExpiry(row, now, lease)) due.push(row.sandboxId);
    }
    const { changed, failed } = await transitionEach(due, {
      job: this.name,
      stop: ctx.stop,
      write: (sandboxId) => lifecycle.expire(sandboxId, cutoff),
      change: {
        from: SandboxStatus.Allocated,
        to: SandboxStatus.PendingDeletion,
        action: 'expire',
      },
      events: this.deps.events,
      logger,
    });
    result.expired = changed;
    result.failed = failed;
    return result;
  }
}
