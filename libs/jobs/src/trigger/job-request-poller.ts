import type { Clock, JobRunRecord, JobRunRepository } from '@broker/domain';
import { errorText, silentJobLogger, type JobLogger } from '../runner/job';
import type { JobSet } from '../runner/job-set';
import type { RunTracker } from '../runner/run-tracker';
import { finishedRecord, TRIGGERABLE_JOBS, type TriggerableJob } from './job-run-view';

/** What the poller counts: requests it claimed, and requests it found expired. */
export type JobPickupEvent = 'picked_up' | 'expired';

export interface JobRequestPollerDeps {
  readonly jobs: JobSet;
  readonly runs: JobRunRepository;
  readonly clock: Clock;
  /** Shared with the scheduler: stop/abandon signals and the shutdown drain. */
  readonly tracker: RunTracker;
  /** How long a claimed request keeps its job's request slot (the lease TTL). */
  readonly leaseTtlMs: number;
  readonly logger?: JobLogger;
  readonly onEvent?: (event: JobPickupEvent, job: TriggerableJob) => void;
}

/**
 * The worker side of admin triggers: reads each triggerable job's pending request (one GetItem
 * per job), claims it with one conditional write (two workers never both get it), runs the job
 * through the worker's JobSet under the job's lease, and writes the outcome to the run record.
 */
export class JobRequestPoller {
  private readonly logger: JobLogger;

  constructor(private readonly deps: JobRequestPollerDeps) {
    this.logger = deps.logger ?? silentJobLogger;
  }

  /**
   * One pass over the triggerable jobs; returns the runs it started (already tracked: the
   * promises resolve with the saved records).
   */
  async pollOnce(): Promise<Promise<JobRunRecord>[]> {
    const started: Promise<JobRunRecord>[] = [];
    for (const job of TRIGGERABLE_JOBS) {
      if (this.deps.tracker.stopped) break;
      const picked = await this.pickUp(job);
      if (picked) started.push(picked.run);
    }
    return started;
  }

  /** The started run is wrapped: an async function would otherwise wait for it. */
  private async pickUp(job: TriggerableJob): Promise<{ run: Promise<JobRunRecord> } | null> {
    const { runs, clock, jobs } = this.deps;
    const pending = await runs.pending(job);
    if (!pending) return null;
    if ((pending.pickupDeadlineMs ?? Infinity) < clock.nowMs()) {
      if (await runs.expire(pending.runId)) this.deps.onEvent?.('expired', job);
      this.logger.warn({ job, runId: pending.runId }, 'run request expired before pickup');
      return null;
    }
    const owner = `${jobs.workerId}:${pending.runId}`;
    const claimed = await runs.claim(pending.runId, owner, this.deps.leaseTtlMs);
    if (!claimed) return null; // another worker was first, or it just expired
    this.deps.onEvent?.('picked_up', job);
    this.logger.info(
      { job, runId: claimed.runId, triggeredBy: claimed.triggeredBy },
      'run request picked up',
    );
    return { run: this.deps.tracker.track(this.execute(job, claimed)) };
  }

  private async execute(job: TriggerableJob, claimed: JobRunRecord): Promise<JobRunRecord> {
    const { tracker, runs } = this.deps;
    const report = await this.deps.jobs.runOnce(job, {
      runId: claimed.runId,
      stop: tracker.stop,
      abandon: tracker.abandon,
    });
    const record = finishedRecord(claimed, report);
    try {
      await runs.save(record);
    } catch (error) {
      this.logger.error(
        { job, runId: claimed.runId, err: errorText(error) },
        'run record not saved',
      );
    }
    return record;
  }
}
