import { randomUUID } from 'node:crypto';
import type {
  Clock,
  JobLeaseHolder,
  JobLeaseRepository,
  JobRunRecord,
  JobRunRepository,
} from '@broker/domain';
import { errorText, silentJobLogger, type JobLogger, type JobName } from '../runner/job';
import type { JobSet } from '../runner/job-set';
import type { JobRunReport } from '../runner/leased-job-runner';

export type TriggerOutcome =
  /** The run finished within the wait (succeeded or failed). */
  | { readonly kind: 'completed'; readonly record: JobRunRecord }
  /** Still running after the wait: read the outcome back by run id. */
  | { readonly kind: 'accepted'; readonly record: JobRunRecord }
  /** The job's lease is held (worker, another API task, an earlier trigger). */
  | { readonly kind: 'busy'; readonly holder: JobLeaseHolder | null };

/** A run record as reported: `lost` = still marked running, but its lease lapsed (process died). */
export type JobRunView = Omit<JobRunRecord, 'status'> & {
  readonly status: JobRunRecord['status'] | 'lost';
};

export interface JobTriggerDeps {
  readonly jobs: JobSet;
  readonly runs: JobRunRepository;
  readonly leases: JobLeaseRepository;
  readonly clock: Clock;
  readonly leaseTtlMs: number;
  readonly logger?: JobLogger;
}

/**
 * Runs a job on request (admin triggers) through the same JobSet and lease as the worker: a held
 * lease answers `busy`; a run that outlasts `waitMs` keeps going in the background and its record
 * (`running`, then the outcome) can be read back by run id. Record writes of one run are chained,
 * so the outcome is never overtaken by the `running` write.
 */
export class JobTrigger {
  private readonly logger: JobLogger;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stop = new AbortController();
  private readonly abandon = new AbortController();

  constructor(private readonly deps: JobTriggerDeps) {
    this.logger = deps.logger ?? silentJobLogger;
  }

  async trigger(
    job: JobName,
    options: { readonly triggeredBy: string; readonly waitMs: number },
  ): Promise<TriggerOutcome> {
    if (this.stop.signal.aborted) return { kind: 'busy', holder: null };
    const runId = randomUUID();
    const base: JobRunRecord = {
      runId,
      job,
      status: 'running',
      owner: `${this.deps.jobs.workerId}:${runId}`,
      triggeredBy: options.triggeredBy,
      startedAtMs: this.deps.clock.nowMs(),
    };
    const run = this.deps.jobs.runOnce(job, {
      runId,
      stop: this.stop.signal,
      abandon: this.abandon.signal,
    });
    const waited = await settleWithin(run, options.waitMs);
    if (waited.settled) {
      const report = waited.value;
      if (report.outcome === 'skipped') return { kind: 'busy', holder: report.holder };
      const record = finished(base, report);
      await this.deps.runs.save(record);
      return { kind: 'completed', record };
    }
    // Outlasted the wait: record it as running, then the outcome when it comes.
    const savedRunning = this.deps.runs.save(base);
    const writes = savedRunning.then(async () => {
      const report = await run;
      await this.deps.runs.save(
        report.outcome === 'skipped' ? { ...base, status: 'skipped' } : finished(base, report),
      );
    });
    const tracked = writes.catch((error: unknown) =>
      this.logger.error({ job, runId, err: errorText(error) }, 'job run record not saved'),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    // Readable by run id before the 202 goes out (a failed write is logged by the chain above).
    await savedRunning.catch(() => undefined);
    return { kind: 'accepted', record: base };
  }

  async status(runId: string): Promise<JobRunView | null> {
    const record = await this.deps.runs.get(runId);
    if (!record || record.status !== 'running') return record;
    const lapsed = this.deps.clock.nowMs() - record.startedAtMs > this.deps.leaseTtlMs;
    if (!lapsed) return record;
    const holder = await this.deps.leases.holder(record.job);
    return holder?.owner === record.owner ? record : { ...record, status: 'lost' };
  }

  /** Resolves when every background run and its record writes have finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Shutdown: stop taking work, give in-flight runs `graceMs`, then abandon them safely. */
  async shutdown(graceMs: number): Promise<void> {
    this.stop.abort();
    const all = Promise.allSettled([...this.inFlight]);
    const done = await settleWithin(all, graceMs);
    if (!done.settled) {
      this.abandon.abort();
      await all;
    }
  }
}

function finished(
  base: JobRunRecord,
  report: Exclude<JobRunReport<unknown>, { outcome: 'skipped' }>,
) {
  const durationMs = Math.round(report.durationMs);
  const record: JobRunRecord = {
    ...base,
    finishedAtMs: base.startedAtMs + durationMs,
    durationMs,
  };
  return report.outcome === 'success'
    ? { ...record, status: 'succeeded' as const, result: asRecord(report.result) }
    : { ...record, status: 'failed' as const, error: report.error.message };
}

function asRecord(result: unknown): Record<string, unknown> {
  return result !== null && typeof result === 'object' ? { ...result } : { result };
}

async function settleWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ settled: true; value: T } | { settled: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ settled: false }>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then((value) => ({ settled: true as const, value })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
