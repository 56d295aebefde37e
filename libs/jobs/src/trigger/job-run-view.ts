import type { JobRunRecord } from '@broker/domain';
import type { JobRunReport } from '../runner/leased-job-runner';

/** The jobs an operator may trigger (POST /v1/admin/sync|cleanup); the worker polls their slots. */
export const TRIGGERABLE_JOBS = ['sync', 'cleanup'] as const;
export type TriggerableJob = (typeof TRIGGERABLE_JOBS)[number];

/**
 * A run record as reported: `lost` = still marked running, but its lease lapsed (the process that
 * ran it died). An unclaimed request past its pickup deadline reads `expired`.
 */
export type JobRunView = Omit<JobRunRecord, 'status'> & {
  readonly status: JobRunRecord['status'] | 'lost';
};

/** The record of a claimed run once its report is in. */
export function finishedRecord(claimed: JobRunRecord, report: JobRunReport<unknown>): JobRunRecord {
  if (report.outcome === 'skipped') return { ...claimed, status: 'skipped' };
  const durationMs = Math.round(report.durationMs);
  const record: JobRunRecord = {
    ...claimed,
    finishedAtMs: claimed.startedAtMs + durationMs,
    durationMs,
  };
  return report.outcome === 'success'
    ? { ...record, status: 'succeeded', result: asRecord(report.result) }
    : { ...record, status: 'failed', error: report.error.message };
}

function asRecord(result: unknown): Record<string, unknown> {
  return result !== null && typeof result === 'object' ? { ...result } : { result };
}
