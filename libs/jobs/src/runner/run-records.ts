import {
  type ActivityStatsRepository,
  type CleanupOutcomeCounts,
  type Clock,
  hourStartOf,
  type JobRunRepository,
} from '@broker/domain';
import type { CleanupResult } from '../cleanup/cleanup.job';
import { finishedRecord } from '../trigger/job-run-view';
import { errorText, type JobLogger } from './job';
import type { JobRunReport, RunSignals } from './leased-job-runner';

/** Jobs whose scheduled runs are recorded (the console's run list and "last sync/cleanup"). */
const RECORDED_JOBS: ReadonlySet<string> = new Set(['sync', 'cleanup']);

/**
 * One cleanup run's outcomes as chart counters; disjoint, so they stack: `failed` = attempts
 * that ended without an outcome (handed back at shutdown or an open breaker, or lost to another
 * actor); `niosxaasSkipped` = pre-cleans not needed (already done on an earlier attempt).
 */
export function cleanupOutcomes(result: CleanupResult): CleanupOutcomeCounts {
  return {
    deleted: result.attempts.deleted,
    retried: result.attempts.retry_scheduled,
    failed: result.attempts.abandoned + result.attempts.lost,
    quarantined: result.attempts.quarantined,
    niosxaasCleaned: result.preDelete.done,
    niosxaasSkipped: result.preDelete.skipped,
    niosxaasFailed: result.preDelete.failed,
  };
}

export interface RunRecordsDeps {
  readonly activity?: Pick<ActivityStatsRepository, 'addCleanupOutcomes'> | undefined;
  readonly runs?: Pick<JobRunRepository, 'save'> | undefined;
  readonly clock: Clock;
  readonly logger: JobLogger;
  readonly workerId: string;
}

/**
 * What a finished run leaves for operators, written after it (never inside the job): a
 * cleanup's outcome counters for its hour, and a run record for scheduled sync and cleanup runs
 * (requested runs are recorded by the JobRequestPoller). Failures are logged, never raised: a run
 * that did its work is not failed by its bookkeeping.
 */
export async function recordRun(
  deps: RunRecordsDeps,
  report: JobRunReport<unknown>,
  signals: RunSignals,
): Promise<void> {
  if (report.outcome === 'skipped') return;
  const { activity, runs, clock, logger } = deps;
  try {
    if (activity && report.job === 'cleanup' && report.outcome === 'success') {
      const counts = cleanupOutcomes(report.result as CleanupResult);
      await activity.addCleanupOutcomes(hourStartOf(clock.nowMs()), counts);
    }
    if (runs && RECORDED_JOBS.has(report.job) && signals.runId === undefined) {
      const startedAtMs = Math.round(clock.nowMs() - report.durationMs);
      const started = {
        runId: report.runId,
        job: report.job,
        status: 'running' as const,
        owner: `${deps.workerId}:${report.runId}`,
        triggeredBy: 'schedule',
        startedAtMs,
      };
      await runs.save(finishedRecord(started, report));
    }
  } catch (error) {
    logger.warn({ job: report.job, err: errorText(error) }, 'run bookkeeping not written');
  }
}
