import {
  nowSeconds,
  SandboxStatus,
  type Clock,
  type DeletionClaim,
  type ProviderFailure,
  type ProviderBreaker,
  type SandboxEventLog,
  type SandboxLifecycleRepository,
  type SandboxProvider,
  type SandboxRepository,
} from '@broker/domain';
import { recordJobTransition } from '../events/job-events';
import { backoffSeconds } from '../limits/backoff';
import { forEachBounded } from '../limits/bounded';
import { sandboxesIn } from '../limits/pages';
import type { TokenBucket } from '../limits/token-bucket';
import {
  errorText,
  silentJobLogger,
  type Job,
  type JobContext,
  type JobLogger,
} from '../runner/job';

export interface CleanupOptions {
  /** Sandboxes being deleted at once (CLEANUP_CONCURRENCY). */
  readonly concurrency: number;
  /** Counted failed attempts after which a sandbox is quarantined (CLEANUP_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  readonly backoffBaseSec: number;
  readonly backoffMaxSec: number;
  /** A row in `deleting` longer than this is a crashed run's and goes back to pending. */
  readonly stuckAfterSec: number;
  /** Run the provider's pre-delete hook (NIOSXaaS) before deleting the account. */
  readonly preDelete: boolean;
  /** Upper bound of sandboxes one run takes on (default 1,000). */
  readonly maxPerRun?: number;
  readonly pageSize?: number;
}

/** What happened to one claimed sandbox. */
export type CleanupAttemptOutcome =
  | 'deleted'
  | 'retry_scheduled'
  | 'quarantined'
  | 'abandoned'
  /** The row changed under us (another actor); nothing written. */
  | 'lost';

export interface CleanupResult {
  candidates: number;
  recovered: number;
  /** Rows another worker claimed first, or no longer due. */
  notClaimed: number;
  attempts: Record<CleanupAttemptOutcome, number>;
  /** NIOSXaaS pre-clean: done, failed, skipped (already done on an earlier attempt). */
  preDelete: { done: number; failed: number; skipped: number; servicesDeleted: number };
  /** Why the run stopped before handling every candidate. */
  stoppedBy: 'breaker' | 'shutdown' | null;
}

export interface CleanupDeps {
  readonly provider: SandboxProvider;
  readonly pool: Pick<SandboxRepository, 'list'>;
  readonly lifecycle: SandboxLifecycleRepository;
  readonly limiter: TokenBucket;
  readonly clock: Clock;
  readonly logger?: JobLogger;
  /** Per-attempt hook (metrics). */
  readonly onAttempt?: (outcome: CleanupAttemptOutcome) => void;
  /**
   * Audit trail of outcomes: deleting → deleted / deletion_failed / quarantined, and crash
   * recovery deleting → pending_deletion. The claim (→ deleting) and a hand-back are not recorded.
   */
  readonly events?: SandboxEventLog;
}

type Settled = CleanupAttemptOutcome | 'breaker_open';

/**
 * pending_deletion (and due deletion_failed) → provider delete → tombstone `deleted`.
 *
 * Each sandbox is claimed with a conditional write (→ deleting, owner + since) before the provider
 * is called, so two workers never delete the same account. Failures (429/5xx/timeouts and the
 * NIOSXaaS pre-clean alike) count an attempt and are retried with exponential back-off; after
 * `maxAttempts` the sandbox is quarantined. An open breaker stops the run and leaves the rest
 * pending — an attempt the provider never saw is handed back uncounted.
 */
export class CleanupJob implements Job<CleanupResult> {
  readonly name = 'cleanup' as const;
  private readonly logger: JobLogger;

  constructor(
    private readonly deps: CleanupDeps,
    private readonly options: CleanupOptions,
  ) {
    this.logger = deps.logger ?? silentJobLogger;
  }

  async run(ctx: JobContext): Promise<CleanupResult> {
    const result: CleanupResult = {
      candidates: 0,
      recovered: 0,
      notClaimed: 0,
      attempts: { deleted: 0, retry_scheduled: 0, quarantined: 0, abandoned: 0, lost: 0 },
      preDelete: { done: 0, failed: 0, skipped: 0, servicesDeleted: 0 },
      stoppedBy: null,
    };
    result.recovered = await this.recoverStuck(ctx);
    if (this.breakerOpen('delete')) return { ...result, stoppedBy: 'breaker' };

    const candidates = await this.candidates(ctx);
    result.candidates = candidates.length;
    let breakerTripped = false;
    await forEachBounded(
      candidates,
      this.options.concurrency,
      async (sandboxId) => {
        if (this.breakerOpen('delete')) {
          breakerTripped = true;
          return;
        }
        const claim = await this.deps.lifecycle
          .claimDeletion(sandboxId, ctx.owner)
          .catch((error: unknown) => {
            this.logger.warn({ job: this.name, sandboxId, err: errorText(error) }, 'claim failed');
            return null;
          });
        if (!claim) {
          result.notClaimed += 1;
          return;
        }
        const outcome = await this.settle(claim, ctx, result);
        if (outcome === 'breaker_open') {
          breakerTripped = true;
          this.count(result, 'abandoned');
        } else {
          this.count(result, outcome);
        }
      },
      () => breakerTripped || ctx.stop.aborted || ctx.abandon.aborted,
    );
    if (breakerTripped) result.stoppedBy = 'breaker';
    else if (ctx.stop.aborted || ctx.abandon.aborted) result.stoppedBy = 'shutdown';
    return result;
  }

  /** Races the attempt against the abandon signal; an abandoned claim goes back uncounted. */
  private async settle(
    claim: DeletionClaim,
    ctx: JobContext,
    result: CleanupResult,
  ): Promise<Settled> {
    const attempt = this.attempt(claim, ctx, result).catch((error: unknown): Settled => {
      this.logger.error(
        { job: this.name, sandboxId: claim.sandbox.sandboxId, err: errorText(error) },
        'cleanup attempt failed',
      );
      return 'lost';
    });
    let onAbort: (() => void) | undefined;
    const abandoned = new Promise<'abandon'>((resolve) => {
      onAbort = () => resolve('abandon');
      if (ctx.abandon.aborted) onAbort();
      else ctx.abandon.addEventListener('abort', onAbort, { once: true });
    });
    const first = await Promise.race([attempt, abandoned]);
    if (onAbort) ctx.abandon.removeEventListener('abort', onAbort);
    if (first !== 'abandon') return first;
    // The attempt may still finish; its writes are conditional on `deleting` and fail harmlessly.
    await this.handBack(claim, 'worker shut down during the attempt');
    return 'abandoned';
  }

  private async attempt(
    claim: DeletionClaim,
    ctx: JobContext,
    result: CleanupResult,
  ): Promise<Settled> {
    const { provider, lifecycle, limiter } = this.deps;
    const { externalId, sandboxId } = claim.sandbox;
    const log = { job: this.name, sandboxId, attempt: claim.sandbox.deletionAttempts + 1 };

    if (this.options.preDelete && claim.preDeleteDoneAt === undefined) {
      const pre = await provider.cleanupUniversalServices(externalId);
      if (pre.kind !== 'done') {
        result.preDelete.failed += 1;
        if (this.neverReached(pre, 'niosxaas')) {
          await this.handBack(claim, `NIOSXaaS: ${pre.reason}`);
          return 'abandoned';
        }
        this.logger.warn({ ...log, err: pre.reason }, 'NIOSXaaS pre-clean failed');
        return this.failed(claim, pre, 'NIOSXaaS pre-clean');
      }
      result.preDelete.done += 1;
      result.preDelete.servicesDeleted += pre.deleted?.length ?? 0;
      await lifecycle.recordPreDeleteDone(claim);
    } else if (this.options.preDelete) {
      result.preDelete.skipped += 1;
    }

    // The rate token is taken right before each DELETE the client sends, its retries included,
    // so the limit holds however the client retries and whatever its breaker does.
    const deleted = await provider.deleteSandbox(externalId, {
      beforeAttempt: () => limiter.take(ctx.abandon),
    });
    if (deleted.kind === 'gone') {
      if (!(await lifecycle.completeDeletion(claim))) return 'lost';
      this.record(sandboxId, SandboxStatus.Deleted, 'delete', {
        attempts: claim.sandbox.deletionAttempts + 1,
      });
      this.logger.info(log, 'sandbox deleted at the provider');
      return 'deleted';
    }
    if (deleted.kind === 'retryable' && deleted.notSent && ctx.abandon.aborted) {
      await this.handBack(claim, 'worker shut down before the delete');
      return 'abandoned';
    }
    if (this.neverReached(deleted, 'delete')) {
      await this.handBack(claim, deleted.reason);
      return 'breaker_open';
    }
    if (deleted.kind === 'retryable' && deleted.status === 429 && deleted.retryAfterMs) {
      limiter.pauseFor(Math.min(deleted.retryAfterMs, 10_000));
    }
    this.logger.warn(
      { ...log, err: deleted.reason, status: deleted.status },
      'provider delete failed',
    );
    return this.failed(claim, deleted, 'CSP delete');
  }

  /** One counted failed attempt: back-off, or quarantine once attempts are exhausted. */
  private async failed(
    claim: DeletionClaim,
    failure: ProviderFailure,
    what: string,
  ): Promise<Settled> {
    const { lifecycle, clock } = this.deps;
    const attempts = claim.sandbox.deletionAttempts + 1;
    const error = truncate(`${what}: ${failure.reason}`);
    if (attempts >= this.options.maxAttempts) {
      const reason = truncate(`${attempts} failed deletion attempts; last: ${error}`);
      if (!(await lifecycle.quarantine(claim, reason))) return 'lost';
      this.record(claim.sandbox.sandboxId, SandboxStatus.Quarantined, 'quarantine', {
        attempts,
        reason,
      });
      return 'quarantined';
    }
    const retryAfterMs = failure.kind === 'retryable' ? failure.retryAfterMs : undefined;
    const policy = { baseSec: this.options.backoffBaseSec, maxSec: this.options.backoffMaxSec };
    const delay = backoffSeconds(attempts, policy, retryAfterMs);
    const nextAttemptAt = nowSeconds(clock) + delay;
    if (!(await lifecycle.failDeletion(claim, { error, nextAttemptAt }))) return 'lost';
    this.record(claim.sandbox.sandboxId, SandboxStatus.DeletionFailed, 'delete_failed', {
      attempts,
      error,
      next_attempt_at: nextAttemptAt,
    });
    return 'retry_scheduled';
  }

  /** An outcome of a claimed deletion (the row was `deleting`, held by this run). */
  private record(
    sandboxId: string,
    to: SandboxStatus,
    action: string,
    details: Record<string, string | number>,
  ): void {
    recordJobTransition(this.deps.events, this.name, {
      sandboxId,
      from: SandboxStatus.Deleting,
      to,
      action,
      details,
    });
  }

  /** The breaker refused the call: the provider never saw it, so it must not count. */
  private neverReached(failure: ProviderFailure, breaker: ProviderBreaker): boolean {
    return (
      failure.kind === 'retryable' &&
      (failure.notSent === true || failure.status === undefined) &&
      this.breakerOpen(breaker)
    );
  }

  private breakerOpen(breaker: ProviderBreaker): boolean {
    return this.deps.provider.breakerState(breaker) === 'open';
  }

  private async handBack(claim: DeletionClaim, reason: string): Promise<void> {
    try {
      await this.deps.lifecycle.abandonDeletion(claim, truncate(reason));
    } catch (error) {
      // Left in `deleting`: the stuck-deletion recovery hands it back later.
      this.logger.warn(
        { job: this.name, sandboxId: claim.sandbox.sandboxId, err: errorText(error) },
        'hand-back failed',
      );
    }
  }

  private async recoverStuck(ctx: JobContext): Promise<number> {
    const cutoff = nowSeconds(this.deps.clock) - this.options.stuckAfterSec;
    let recovered = 0;
    for await (const row of sandboxesIn(this.deps.pool, SandboxStatus.Deleting, {
      pageSize: this.options.pageSize ?? 100,
      signal: ctx.stop,
    })) {
      // updated_at is set by the claim; the write re-checks the claim time itself.
      if (row.updatedAt > cutoff) continue;
      try {
        if (await this.deps.lifecycle.recoverDeletion(row.sandboxId, cutoff)) {
          recovered += 1;
          recordJobTransition(this.deps.events, this.name, {
            sandboxId: row.sandboxId,
            from: SandboxStatus.Deleting,
            to: SandboxStatus.PendingDeletion,
            action: 'recover_stuck_deletion',
          });
          this.logger.warn(
            { job: this.name, sandboxId: row.sandboxId },
            'recovered stuck deletion',
          );
        }
      } catch (error) {
        this.logger.warn(
          { job: this.name, sandboxId: row.sandboxId, err: errorText(error) },
          'recovery failed',
        );
      }
    }
    return recovered;
  }

  private async candidates(ctx: JobContext): Promise<string[]> {
    const max = this.options.maxPerRun ?? 1_000;
    const pageSize = this.options.pageSize ?? 100;
    const ids: string[] = [];
    for await (const row of sandboxesIn(this.deps.pool, SandboxStatus.PendingDeletion, {
      pageSize,
      limit: max,
      signal: ctx.stop,
    })) {
      ids.push(row.sandboxId);
    }
    const now = nowSeconds(this.deps.clock);
    for await (const row of sandboxesIn(this.deps.pool, SandboxStatus.DeletionFailed, {
      pageSize,
      signal: ctx.stop,
    })) {
      if (ids.length >= max) break;
      if ((row.nextAttemptAt ?? 0) <= now) ids.push(row.sandboxId);
    }
    return ids;
  }

  private count(result: CleanupResult, outcome: CleanupAttemptOutcome): void {
    result.attempts[outcome] += 1;
    this.deps.onAttempt?.(outcome);
  }
}

function truncate(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
