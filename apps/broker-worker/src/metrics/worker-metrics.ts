import {
  ALL_SANDBOX_STATUSES,
  type ProviderBreakerState,
  type ProviderUpstream,
  type SandboxProvider,
} from '@broker/domain';
import type {
  ClaimRepairResult,
  CleanupAttemptOutcome,
  CleanupResult,
  ExpiryResult,
  JobName,
  JobRunReport,
  PoolCounts,
  StalePurgeResult,
  SyncResult,
} from '@broker/jobs';
import { JOB_NAMES } from '@broker/jobs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const BREAKER_VALUES: Record<ProviderBreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
const UPSTREAMS: readonly ProviderUpstream[] = ['csp', 'niosxaas'];

/**
 * The worker's metrics in a private registry (one per app instance, so tests can build many).
 * Names of the original broker are kept where one existed (broker_sync_total{outcome},
 * broker_cleanup_total, broker_cleanup_deleted_total, broker_cleanup_failed_total,
 * broker_expiry_total, broker_expiry_orphaned_total, broker_pool_*, broker_niosxaas_*).
 */
export class WorkerMetrics {
  readonly registry = new Registry();

  private readonly runs = this.counter(
    'broker_job_runs_total',
    'Job runs by outcome (skipped: lease held elsewhere)',
    ['job', 'outcome'],
  );
  private readonly duration = new Histogram({
    name: 'broker_job_duration_seconds',
    help: 'Duration of job runs that held the lease',
    labelNames: ['job'],
    buckets: [0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly lastSuccess = this.gauge(
    'broker_job_last_success_timestamp_seconds',
    'Unix time of the last successful run',
    ['job'],
  );
  private readonly lastRun = this.gauge(
    'broker_job_last_run_timestamp_seconds',
    'Unix time of the last run that held the lease',
    ['job'],
  );

  private readonly syncTotal = this.counter('broker_sync_total', 'Sync runs', ['outcome']);
  private readonly syncSynced = this.counter(
    'broker_sync_sandboxes_synced_total',
    'Sandboxes inserted, refreshed or revived by sync',
  );
  private readonly syncInserted = this.counter(
    'broker_sync_sandboxes_inserted_total',
    'Sandboxes inserted by sync',
  );
  private readonly syncRevived = this.counter(
    'broker_sync_sandboxes_revived_total',
    'Stale sandboxes made available again by sync',
  );
  private readonly syncStale = this.counter(
    'broker_sync_sandboxes_stale_total',
    'Sandboxes marked stale by sync',
  );
  private readonly syncDuration = new Histogram({
    name: 'broker_sync_duration_seconds',
    help: 'Sync run duration',
    buckets: [1, 2.5, 5, 10, 15, 30, 60],
    registers: [this.registry],
  });

  private readonly cleanupTotal = this.counter(
    'broker_cleanup_total',
    'Cleanup runs (stopped: open breaker or shutdown)',
    ['outcome'],
  );
  private readonly cleanupDeleted = this.counter(
    'broker_cleanup_deleted_total',
    'Sandboxes deleted at the provider',
  );
  private readonly cleanupFailed = this.counter(
    'broker_cleanup_failed_total',
    'Counted failed deletion attempts (retried or quarantined)',
  );
  private readonly cleanupAttempts = this.counter(
    'broker_cleanup_attempts_total',
    'Deletion attempts by result',
    ['result'],
  );
  private readonly cleanupQuarantined = this.counter(
    'broker_cleanup_quarantined_total',
    'Sandboxes quarantined after exhausting their attempts',
  );
  private readonly cleanupRecovered = this.counter(
    'broker_cleanup_recovered_total',
    'Rows stuck in deleting handed back to pending',
  );
  private readonly cleanupDuration = new Histogram({
    name: 'broker_cleanup_duration_seconds',
    help: 'Cleanup run duration',
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  private readonly niosCleanup = this.counter(
    'broker_niosxaas_cleanup_total',
    'NIOSXaaS pre-delete clean-ups',
    ['outcome'],
  );
  private readonly niosDeleted = this.counter(
    'broker_niosxaas_services_deleted_total',
    'Universal services deleted by the pre-clean',
  );

  private readonly expiryTotal = this.counter('broker_expiry_total', 'Expiry runs', ['outcome']);
  private readonly expiryOrphaned = this.counter(
    'broker_expiry_orphaned_total',
    'Allocations expired to pending_deletion',
  );
  private readonly stalePurged = this.counter(
    'broker_stale_purged_total',
    'Stale sandboxes tombstoned after the grace',
  );
  private readonly claimsRepaired = this.counter(
    'broker_claim_repair_total',
    'Open allocation claims repaired',
    ['outcome'],
  );
  private readonly pool = new Map(
    [...ALL_SANDBOX_STATUSES, 'total'].map((status) => [
      status,
      this.gauge(`broker_pool_${status}`, `Sandboxes in status ${status}`),
    ]),
  );

  constructor(provider?: Pick<SandboxProvider, 'breakerState'>) {
    collectDefaultMetrics({ register: this.registry });
    for (const job of JOB_NAMES)
      for (const outcome of ['success', 'error', 'skipped']) this.runs.inc({ job, outcome }, 0);
    for (const outcome of ['success', 'error', 'stopped']) this.cleanupTotal.inc({ outcome }, 0);
    for (const outcome of ['success', 'error']) {
      this.syncTotal.inc({ outcome }, 0);
      this.expiryTotal.inc({ outcome }, 0);
    }
    if (provider) {
      new Gauge({
        name: 'broker_csp_breaker_state',
        help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
        labelNames: ['upstream'],
        registers: [this.registry],
        collect() {
          for (const upstream of UPSTREAMS)
            this.set({ upstream }, BREAKER_VALUES[provider.breakerState(upstream)]);
        },
      });
    }
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  cleanupAttempt(outcome: CleanupAttemptOutcome): void {
    this.cleanupAttempts.inc({ result: outcome });
    if (outcome === 'deleted') this.cleanupDeleted.inc();
    if (outcome === 'retry_scheduled' || outcome === 'quarantined') this.cleanupFailed.inc();
    if (outcome === 'quarantined') this.cleanupQuarantined.inc();
  }

  record(report: JobRunReport<unknown>): void {
    this.runs.inc({ job: report.job, outcome: report.outcome });
    if (report.outcome === 'skipped') return;
    const seconds = report.durationMs / 1000;
    const now = Date.now() / 1000;
    this.duration.observe({ job: report.job }, seconds);
    this.lastRun.set({ job: report.job }, now);
    if (report.outcome === 'success') this.lastSuccess.set({ job: report.job }, now);
    const result = report.outcome === 'success' ? report.result : undefined;
    this.recordJob(report.job, report.outcome, seconds, result);
  }

  private recordJob(
    job: JobName,
    outcome: 'success' | 'error',
    seconds: number,
    result: unknown,
  ): void {
    switch (job) {
      case 'sync': {
        this.syncTotal.inc({ outcome });
        this.syncDuration.observe(seconds);
        const r = result as SyncResult | undefined;
        if (r) {
          this.syncSynced.inc(r.inserted + r.refreshed + r.revived);
          this.syncInserted.inc(r.inserted);
          this.syncRevived.inc(r.revived);
          this.syncStale.inc(r.markedStale);
        }
        return;
      }
      case 'cleanup': {
        const r = result as CleanupResult | undefined;
        this.cleanupTotal.inc({ outcome: r?.stoppedBy ? 'stopped' : outcome });
        this.cleanupDuration.observe(seconds);
        if (r) {
          this.cleanupRecovered.inc(r.recovered);
          this.niosCleanup.inc({ outcome: 'success' }, r.preDelete.done);
          this.niosCleanup.inc({ outcome: 'failed' }, r.preDelete.failed);
          this.niosDeleted.inc(r.preDelete.servicesDeleted);
        }
        return;
      }
      case 'expiry': {
        this.expiryTotal.inc({ outcome });
        this.expiryOrphaned.inc((result as ExpiryResult | undefined)?.expired ?? 0);
        return;
      }
      case 'stale-purge':
        this.stalePurged.inc((result as StalePurgeResult | undefined)?.purged ?? 0);
        return;
      case 'claim-repair': {
        const r = result as ClaimRepairResult | undefined;
        if (r)
          for (const [key, n] of Object.entries(r)) this.claimsRepaired.inc({ outcome: key }, n);
        return;
      }
      case 'pool-gauges': {
        const r = result as PoolCounts | undefined;
        if (r)
          for (const [status, gauge] of this.pool) gauge.set(r[status as keyof PoolCounts] ?? 0);
        return;
      }
    }
  }

  private counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
