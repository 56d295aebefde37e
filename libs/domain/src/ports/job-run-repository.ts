/** Where a run stands; `running` is the only state that may still change. */
export type JobRunStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** One triggered job run, kept so its outcome can be read back after the request ended. */
export interface JobRunRecord {
  readonly runId: string;
  readonly job: string;
  readonly status: JobRunStatus;
  /** The runner's owner token (`<process>:<runId>`), the same one the job lease carries. */
  readonly owner: string;
  /** Who asked for it (an admin token's name). */
  readonly triggeredBy: string;
  readonly startedAtMs: number;
  readonly finishedAtMs?: number;
  readonly durationMs?: number;
  /** The job's result counters (small, JSON). */
  readonly result?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

/**
 * Run records of triggered jobs. `save` only moves a record forward: a finished record is never
 * overwritten (a late `running` write cannot hide an outcome).
 */
export interface JobRunRepository {
  save(record: JobRunRecord): Promise<void>;
  get(runId: string): Promise<JobRunRecord | null>;
}

export const JOB_RUN_REPOSITORY = Symbol.for('broker.JobRunRepository');
