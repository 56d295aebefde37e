import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Clock,
  isFinalJobRunStatus,
  type JobLeaseHolder,
  type JobLeaseRepository,
  type JobRunRecord,
  type JobRunRepository,
} from '@broker/domain';
import type { JobRunView, TriggerableJob } from './job-run-view';

export type TriggerOutcome =
  /** The run ended within the wait: succeeded, failed, or expired (no worker picked it up). */
  | { readonly kind: 'completed'; readonly record: JobRunRecord }
  /** Not finished within the wait (pending or running): read the outcome back by run id. */
  | { readonly kind: 'accepted'; readonly record: JobRunRecord }
  /** The job's lease is held, or a request for it is already pending. */
  | { readonly kind: 'busy'; readonly holder: JobLeaseHolder | null };

/** What the requester counts: requests recorded or refused, and requests it marked expired. */
export type JobRequestEvent = 'requested' | 'refused' | 'expired';

export interface JobRequestsDeps {
  readonly runs: JobRunRepository;
  readonly leases: JobLeaseRepository;
  readonly clock: Clock;
  /** The jobs' lease TTL: a `running` record older than this whose lease is gone reads `lost`. */
  readonly leaseTtlMs: number;
  /** A request no worker claims within this long is marked `expired`. */
  readonly pickupTimeoutMs: number;
  /** How often a waiting trigger re-reads its record (default 200 ms). */
  readonly readEveryMs?: number;
  readonly onEvent?: (event: JobRequestEvent, job: TriggerableJob) => void;
}

/**
 * The API side of admin triggers: records a run request for a worker to pick up (at most one
 * pending per job; a held lease or a pending request answers `busy`), then waits for its outcome
 * by re-reading the record, bounded by the caller's wait. Runs nothing itself.
 */
export class JobRequests {
  private readonly stop = new AbortController();

  constructor(private readonly deps: JobRequestsDeps) {}

  async trigger(
    job: TriggerableJob,
    options: { readonly triggeredBy: string; readonly waitMs: number },
  ): Promise<TriggerOutcome> {
    if (this.stop.signal.aborted) return { kind: 'busy', holder: null };
    const { runs, leases, clock, pickupTimeoutMs } = this.deps;
    const holder = await leases.holder(job);
    if (holder) {
      this.deps.onEvent?.('refused', job);
      return { kind: 'busy', holder };
    }
    const runId = randomUUID();
    const requestedAtMs = clock.nowMs();
    const recorded = await runs.request({
      runId,
      job,
      triggeredBy: options.triggeredBy,
      requestedAtMs,
      pickupDeadlineMs: requestedAtMs + pickupTimeoutMs,
    });
    this.deps.onEvent?.(recorded ? 'requested' : 'refused', job);
    if (!recorded) return { kind: 'busy', holder: null };

    const record = await this.waitFor(runId, options.waitMs);
    if (record.status === 'skipped') {
      // A worker picked it up but the job's lease was taken meanwhile (e.g. a scheduled run).
      return { kind: 'busy', holder: await leases.holder(job).catch(() => null) };
    }
    return isFinalJobRunStatus(record.status)
      ? { kind: 'completed', record }
      : { kind: 'accepted', record };
  }

  /** The record as reported (`lost`, `expired` derived as described on JobRunView). */
  async status(runId: string): Promise<JobRunView | null> {
    const record = await this.deps.runs.get(runId);
    if (!record) return null;
    const now = this.deps.clock.nowMs();
    if (record.status === 'pending') {
      if ((record.pickupDeadlineMs ?? Infinity) >= now) return record;
      if (await this.deps.runs.expire(runId)) {
        this.deps.onEvent?.('expired', record.job as TriggerableJob);
      }
      return (await this.deps.runs.get(runId)) ?? record;
    }
    if (record.status !== 'running') return record;
    if (now - record.startedAtMs <= this.deps.leaseTtlMs) return record;
    const holder = await this.deps.leases.holder(record.job);
    return holder?.owner === record.owner ? record : { ...record, status: 'lost' };
  }

  /** Shutdown: waiting triggers answer at once (202), new triggers are refused. */
  shutdown(): void {
    this.stop.abort();
  }

  /** Re-reads the record until it is final or `waitMs` (real time) has passed; always bounded. */
  private async waitFor(runId: string, waitMs: number): Promise<JobRunRecord> {
    const until = performance.now() + waitMs;
    const every = this.deps.readEveryMs ?? 200;
    for (;;) {
      const view = await this.status(runId);
      if (!view) throw new Error(`run request ${runId} vanished`);
      const record: JobRunRecord =
        view.status === 'lost' ? { ...view, status: 'running' } : (view as JobRunRecord);
      const left = until - performance.now();
      if (isFinalJobRunStatus(record.status) || left <= 0 || this.stop.signal.aborted) {
        return record;
      }
      await sleep(Math.min(every, left), undefined, { signal: this.stop.signal }).catch(
        () => undefined,
      );
    }
  }
}
