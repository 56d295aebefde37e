/** DI tokens of the worker app. */
export const WORKER_JOBS = Symbol.for('broker.WorkerJobs');
export const WORKER_METRICS = Symbol.for('broker.WorkerMetrics');
