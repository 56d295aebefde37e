/**
 * Where a run stands. `pending`: requested (admin trigger), not yet picked up by a worker;
 * `running`: a worker claimed it; `expired`: no worker picked it up before its pickup deadline.
 * `pending` and `running` are the only states that may still change.
 */
export type JobRunStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'expired';

/** The states a run never leaves. */
export const FINAL_JOB_RUN_STATUSES: readonly JobRunStatus[] = [
  'succeeded',
  'failed',
  'skipped',
  'expired',
];

export function isFinalJobRunStatus(status: JobRunStatus): boolean {
  return FINAL_JOB_RUN_STATUSES.includes(status);
}

/** One triggered job run, kept so its outcome can be read back after the request ended. */
export interface JobRunRecord {
  readonly runId: string;
  readonly job: string;
  readonly status: JobRunStatus;
  /** The runner's owner token (`<process>:<runId>`), the same one the job lease carries; '' while pending. */
  readonly owner: string;
  /** Who asked for it (an admin token's name). */
  readonly triggeredBy: string;
  /** When the run started (while pending: when it was requested). */
  readonly startedAtMs: number;
  /** When it was requested (requested runs only). */
  readonly requestedAtMs?: number;
  /** A request no worker claimed by then expires (requested runs only). */
  readonly pickupDeadlineMs?: number;
  readonly finishedAtMs?: number;
  readonly durationMs?: number;
  /** The job's result counters (small, JSON). */
  readonly result?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

/** A run request: what the API records for a worker to pick up. */
export interface JobRunRequest {
  readonly runId: string;
  readonly job: string;
  readonly triggeredBy: string;
  readonly requestedAtMs: number;
  readonly pickupDeadlineMs: number;
}

/**
 * Run records of triggered jobs, and the run requests that create them.
 *
 * - `save` only moves a record forward (pending → running → outcome): a finished record is never
 *   overwritten (a late `running` write cannot hide an outcome). Saving an outcome releases the
 *   job's request slot.
 * - `request` records a `pending` run, at most one per job: it fails (false) while the job has a
 *   pending request whose pickup deadline has not passed, or a claimed one still held.
 * - `claim` is the one conditional step that hands a pending run to one worker.
 */
export interface JobRunRepository {
  save(record: JobRunRecord): Promise<void>;
  get(runId: string): Promise<JobRunRecord | null>;
  /** False: the job already has a pending (or just claimed) request. */
  request(request: JobRunRequest): Promise<boolean>;
  /** The job's pending request, or null (none, claimed, finished or expired). */
  pending(job: string): Promise<JobRunRecord | null>;
  /**
   * pending → running for `owner`, only while still pending and before its pickup deadline;
   * null when another worker claimed it or it expired. The job's request slot stays taken for
   * `holdMs` (the lease TTL), until the run's outcome is saved.
   */
  claim(runId: string, owner: string, holdMs: number): Promise<JobRunRecord | null>;
  /** pending past its pickup deadline → expired; true when this call made the change. */
  expire(runId: string): Promise<boolean>;
  /**
   * The job's most recent runs, newest first (by `startedAtMs`), at most `limit` (1..50); one
   * index query, never a scan.
   */
  recent(job: string, limit: number): Promise<JobRunRecord[]>;
}

export const JOB_RUN_REPOSITORY = Symbol.for('broker.JobRunRepository');
