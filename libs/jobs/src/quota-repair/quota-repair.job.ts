import type { SandboxEventLog, TrackQuota, TrackQuotaRepository } from '@broker/domain';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  errorText,
  silentJobLogger,
  type Job,
  type JobContext,
  type JobLogger,
} from '../runner/job';

export interface QuotaRepairResult {
  /** Quotas looked at. */
  checked: number;
  /** Counters set up to the true count (a unit missed: quota created meanwhile, lost answer). */
  raised: number;
  /** Counters set down to the true count (a crash between counter and sandbox write). */
  lowered: number;
  /** A counter below the count that was still moving, or changed under the write: next run. */
  skipped: number;
  failed: number;
}

export interface QuotaRepairDeps {
  readonly quotas: Pick<
    TrackQuotaRepository,
    'list' | 'get' | 'countAllocatedByTrack' | 'reconcile'
  >;
  readonly logger?: JobLogger;
  /** Audit trail: one `admin_action` event `quota_reconciled` per corrected counter. */
  readonly events?: SandboxEventLog;
}

export interface QuotaRepairOptions {
  /**
   * How long a counter above the count must stay unchanged (with the count) before it is
   * lowered (ms). Longer than an allocation's writer window (CLAIM_POLICY: 5 s + 2 s margin)
   * plus index lag, so a unit taken by an allocation still writing its sandbox, or a release
   * whose counter write is in flight, is never taken for drift. Default 10 s.
   */
  readonly settleMs?: number;
  readonly maxQuotas?: number;
}

/** Default `settleMs`. */
export const QUOTA_REPAIR_SETTLE_MS = 10_000;

/**
 * Resets each per-track counter (`held`) to the track's allocated sandboxes, counted from the
 * StatusIndex, with a write conditional on the value it read, so a concurrent allocation or
 * release is never overwritten. Raising is done at once (it only makes the quota stricter);
 * lowering only when counter and count were both unchanged over `settleMs` (an allocation
 * between its counter write and its sandbox write looks exactly like a crashed one, until it
 * finishes). Runs under the job lease; a second worker's run would only find nothing to do.
 */
export class QuotaRepairJob implements Job<QuotaRepairResult> {
  readonly name = 'quota-repair' as const;

  constructor(
    private readonly deps: QuotaRepairDeps,
    private readonly options: QuotaRepairOptions = {},
  ) {}

  async run(ctx: JobContext): Promise<QuotaRepairResult> {
    const { quotas } = this.deps;
    const result: QuotaRepairResult = { checked: 0, raised: 0, lowered: 0, skipped: 0, failed: 0 };
    const all = await this.listAll(ctx);
    if (all.length === 0) return result;
    result.checked = all.length;
    const counts = await quotas.countAllocatedByTrack();
    const toLower: TrackQuota[] = [];
    for (const quota of all) {
      const count = counts.get(quota.track) ?? 0;
      if (quota.held < count) await this.correct(quota, count, result, 'raised');
      else if (quota.held > count) toLower.push(quota);
    }
    if (toLower.length === 0 || ctx.stop.aborted) return result;
    await sleep(this.options.settleMs ?? QUOTA_REPAIR_SETTLE_MS, undefined, {
      signal: ctx.stop,
    }).catch(() => undefined);
    if (ctx.stop.aborted) return result;
    const recount = await quotas.countAllocatedByTrack();
    for (const before of toLower) {
      const count = recount.get(before.track) ?? 0;
      const now = await quotas.get(before.track).catch(() => null);
      const firstCount = counts.get(before.track) ?? 0;
      if (!now || now.held !== before.held || count !== firstCount) {
        result.skipped += 1;
        continue;
      }
      await this.correct(now, count, result, 'lowered');
    }
    return result;
  }

  private async correct(
    quota: TrackQuota,
    count: number,
    result: QuotaRepairResult,
    direction: 'raised' | 'lowered',
  ): Promise<void> {
    try {
      if (!(await this.deps.quotas.reconcile(quota.track, quota.held, count))) {
        result.skipped += 1;
        return;
      }
      result[direction] += 1;
      this.deps.events?.record({
        type: 'admin_action',
        sandboxId: null,
        actor: { kind: 'job', id: this.name },
        action: 'quota_reconciled',
        details: { track: quota.track, held_before: quota.held, held: count },
      });
    } catch (error) {
      result.failed += 1;
      (this.deps.logger ?? silentJobLogger).warn(
        { job: this.name, track: quota.track, err: errorText(error) },
        'quota repair failed',
      );
    }
  }

  private async listAll(ctx: JobContext): Promise<TrackQuota[]> {
    const max = this.options.maxQuotas ?? 10_000;
    const all: TrackQuota[] = [];
    let cursor: string | undefined;
    while (all.length < max && !ctx.stop.aborted) {
      const page = await this.deps.quotas.list({ limit: 100, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      if (!page.cursor) break;
      cursor = page.cursor;
    }
    return all;
  }
}
