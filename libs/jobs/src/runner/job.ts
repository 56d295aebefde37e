/** The background jobs; the name is also the lease key and the metric label. */
export const JOB_NAMES = [
  'sync',
  'cleanup',
  'expiry',
  'stale-purge',
  'claim-repair',
  'pool-gauges',
  'track-stats',
  'quota-repair',
  'reservations',
] as const;

export type JobName = (typeof JOB_NAMES)[number];

export interface JobContext {
  /** Unique per run; part of the owner token of every claim the run makes. */
  readonly runId: string;
  /** Owner token of this run (`<worker>:<runId>`). */
  readonly owner: string;
  /** Aborted: stop taking new work and return (shutdown, lease lost). */
  readonly stop: AbortSignal;
  /** Aborted: give up in-flight work now, leaving it safe for a later run. */
  readonly abandon: AbortSignal;
}

/** One job's logic, free of any framework; the runner adds the lease, timing and logging. */
export interface Job<R> {
  readonly name: JobName;
  run(ctx: JobContext): Promise<R>;
}

/** Structured logger (pino's argument order). */
export interface JobLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentJobLogger: JobLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Short error text for logs and `last_error`. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
