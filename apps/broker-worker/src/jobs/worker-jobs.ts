import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock, LeasePolicy, SandboxProvider } from '@broker/domain';
import { type JobLogger, JobSet, type JobStorage } from '@broker/jobs';
import type { WorkerConfig } from '../config/worker-config';
import type { WorkerMetrics } from '../metrics/worker-metrics';

export interface WorkerJobsDeps {
  readonly config: WorkerConfig;
  readonly storage: JobStorage;
  readonly provider: SandboxProvider;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly metrics: WorkerMetrics;
  readonly logger: JobLogger;
  /** Identifies this process in lease and claim owners; random per process by default. */
  readonly workerId?: string;
}

/** The worker's JobSet: job reports and cleanup attempts feed the worker's metrics. */
export class WorkerJobs extends JobSet {
  constructor(deps: WorkerJobsDeps) {
    const { config, storage, provider, clock, lease, metrics, logger } = deps;
    super({
      settings: config,
      storage,
      provider,
      clock,
      lease,
      logger,
      workerId:
        deps.workerId ?? `worker-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      onReport: (report) => metrics.record(report),
      onCleanupAttempt: (outcome) => metrics.cleanupAttempt(outcome),
    });
  }
}
