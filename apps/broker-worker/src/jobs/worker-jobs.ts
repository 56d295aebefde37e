import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock, LeasePolicy, SandboxProvider } from '@broker/domain';
import {
  ClaimRepairJob,
  CleanupJob,
  ExpiryJob,
  type Job,
  type JobLogger,
  type JobName,
  type JobRunReport,
  LeasedJobRunner,
  PoolGaugesJob,
  type RunSignals,
  StalePurgeJob,
  SyncJob,
  TokenBucket,
} from '@broker/jobs';
import type { WorkerConfig } from '../config/worker-config';
import type { WorkerMetrics } from '../metrics/worker-metrics';
import type { WorkerStorage } from '../storage/worker-storage';

export interface WorkerJobsDeps {
  readonly config: WorkerConfig;
  readonly storage: WorkerStorage;
  readonly provider: SandboxProvider;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly metrics: WorkerMetrics;
  readonly logger: JobLogger;
  /** Identifies this process in lease and claim owners; random per process by default. */
  readonly workerId?: string;
}

/**
 * The worker's job instances and the leased runner. `runOnce` is what the scheduler, admin
 * triggers and tests call; the same job never runs twice at once, here or on another worker.
 */
export class WorkerJobs {
  readonly runner: LeasedJobRunner;
  private readonly jobs: Record<JobName, Job<unknown>>;

  constructor(deps: WorkerJobsDeps) {
    const { config, storage, provider, clock, lease, metrics, logger } = deps;
    const workerId =
      deps.workerId ?? `worker-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.runner = new LeasedJobRunner({
      leases: storage.leases,
      workerId,
      leaseTtlMs: config.leaseTtlMs,
      logger,
      onReport: (report) => metrics.record(report),
    });
    const { pool, lifecycle } = storage;
    // One bucket for the process's lifetime: the rate holds across runs, not just within one.
    const limiter = new TokenBucket({ ratePerSec: config.cleanup.ratePerSec });
    this.jobs = {
      sync: new SyncJob({ provider, pool, lifecycle, clock, logger }),
      cleanup: new CleanupJob(
        {
          provider,
          pool,
          lifecycle,
          limiter,
          clock,
          logger,
          onAttempt: (outcome) => metrics.cleanupAttempt(outcome),
        },
        config.cleanup,
      ),
      expiry: new ExpiryJob({ pool, lifecycle, clock, lease, logger }),
      'stale-purge': new StalePurgeJob(
        { pool, lifecycle, clock, logger },
        { graceSeconds: config.staleGraceSeconds },
      ),
      'claim-repair': new ClaimRepairJob({ pool, clock, logger }),
      'pool-gauges': new PoolGaugesJob({ pool }),
    };
  }

  get workerId(): string {
    return this.runner.workerId;
  }

  job(name: JobName): Job<unknown> {
    return this.jobs[name];
  }

  runOnce(name: JobName, signals: RunSignals = {}): Promise<JobRunReport<unknown>> {
    return this.runner.run(this.jobs[name], signals);
  }
}
