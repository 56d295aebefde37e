import { ALL_SANDBOX_STATUSES, type SandboxProvider } from '@broker/domain';
import type {
  CleanupAttemptOutcome,
  JobPickupEvent,
  JobRunReport,
  PoolCounts,
  TriggerableJob,
} from '@broker/jobs';
import { JobMetrics } from '@broker/jobs/metrics';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * The worker's metrics in a private registry (one per app instance, so tests can build many):
 * the shared job metrics (libs/jobs), the pool gauges the pool-gauges job sets (the original's
 * broker_pool_* names) and default process metrics.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly pool = new Map(
    [...ALL_SANDBOX_STATUSES, 'total'].map((status) => [
      status,
      new Gauge({
        name: `broker_pool_${status}`,
        help: `Sandboxes in status ${status}`,
        registers: [this.registry],
      }),
    ]),
  );
  private readonly jobs: JobMetrics;
  private readonly requests = new Counter({
    name: 'broker_job_requests_total',
    help: 'Admin-triggered run requests this worker picked up, or found expired (no worker in time)',
    labelNames: ['job', 'outcome'],
    registers: [this.registry],
  });

  constructor(provider?: Pick<SandboxProvider, 'breakerState'>) {
    collectDefaultMetrics({ register: this.registry });
    this.jobs = new JobMetrics(this.registry, provider, (counts) => this.setPool(counts));
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  cleanupAttempt(outcome: CleanupAttemptOutcome): void {
    this.jobs.cleanupAttempt(outcome);
  }

  /** A run request picked up or found expired (the run itself counts through `record`). */
  jobRequest(outcome: JobPickupEvent, job: TriggerableJob): void {
    this.requests.inc({ job, outcome });
  }

  record(report: JobRunReport<unknown>): void {
    this.jobs.record(report);
  }

  private setPool(counts: PoolCounts | undefined): void {
    if (!counts) return;
    for (const [status, gauge] of this.pool) gauge.set(counts[status as keyof PoolCounts] ?? 0);
  }
}
