/** DI tokens of the worker app. */
export const WORKER_JOBS = Symbol.for('broker.WorkerJobs');
export const WORKER_METRICS = Symbol.for('broker.WorkerMetrics');
/** The process's RunTracker: scheduled runs and picked-up run requests, drained at shutdown. */
export const WORKER_RUNS = Symbol.for('broker.WorkerRuns');
