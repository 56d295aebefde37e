import {
  PROVIDER_BREAKER_UPSTREAM,
  PROVIDER_BREAKERS,
  type ProviderBreakerState,
  type SandboxProvider,
} from '@broker/domain';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ClaimRepairResult } from '../claim-repair/claim-repair.job';
import type { QuotaRepairResult } from '../quota-repair/quota-repair.job';
import type { CleanupAttemptOutcome, CleanupResult } from '../cleanup/cleanup.job';
import type { ExpiryResult } from '../expiry/expiry.job';
import type { PoolCounts } from '../pool-gauges/pool-gauges.job';
import { JOB_NAMES, type JobName } from '../runner/job';
import type { ReservationJobResult } from '../reservations/reservation.job';
import type { JobRunReport } from '../runner/leased-job-runner';
import type { StalePurgeResult } from '../stale-purge/stale-purge.job';
import type { SyncResult } from '../sync/sync.job';

const BREAKER_VALUES: Record<ProviderBreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** The metric objects of JobMetrics, registered in `registry`. */
function createJobMetricSet(registry: Registry) {
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    runs: counter('broker_job_runs_total', 'Job runs by outcome (skipped: lease held elsewhere)', [
      'job',
      'outcome',
    ]),
    duration: new Histogram({
      name: 'broker_job_duration_seconds',
      help: 'Duration of job runs that held the lease',
      labelNames: ['job'],
      buckets: [0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    lastSuccess: gauge(
      'broker_job_last_success_timestamp_seconds',
      'Unix time of the last successful run',
      ['job'],
    ),
    lastRun: gauge(
      'broker_job_last_run_timestamp_seconds',
      'Unix time of the last run that held the lease',
      ['job'],
    ),

    syncTotal: counter('broker_sync_total', 'Sync runs', ['outcome']),
    syncSynced: counter(
      'broker_sync_sandboxes_synced_total',
      'Sandboxes inserted, refreshed or revived by sync',
    ),
    syncInserted: counter('broker_sync_sandboxes_inserted_total', 'Sandboxes inserted by sync'),
    syncRevived: counter(
      'broker_sync_sandboxes_revived_total',
      'Stale sandboxes made available again by sync',
    ),
    syncStale: counter('broker_sync_sandboxes_stale_total', 'Sandboxes marked stale by sync'),
    syncDiscrepancies: counter(
      'broker_sync_provider_discrepancies_total',
      'What a sync found the provider and the table disagree on (kind: still_listed = missing ' +
        'from the listing but active on a direct read; unconfirmed; allocated_vanished; ' +
        'tombstone_listed = a deleted sandbox the provider still lists as active)',
      ['kind'],
    ),
    syncDuration: new Histogram({
      name: 'broker_sync_duration_seconds',
      help: 'Sync run duration',
      buckets: [1, 2.5, 5, 10, 15, 30, 60],
      registers: [registry],
    }),

    cleanupTotal: counter(
      'broker_cleanup_total',
      'Cleanup runs (stopped: open breaker or shutdown)',
      ['outcome'],
    ),
    cleanupDeleted: counter('broker_cleanup_deleted_total', 'Sandboxes deleted at the provider'),
    cleanupFailed: counter(
      'broker_cleanup_failed_total',
      'Counted failed deletion attempts (retried or quarantined)',
    ),
    cleanupAttempts: counter('broker_cleanup_attempts_total', 'Deletion attempts by result', [
      'result',
    ]),
    cleanupQuarantined: counter(
      'broker_cleanup_quarantined_total',
      'Sandboxes quarantined after exhausting their attempts',
    ),
    cleanupRecovered: counter(
      'broker_cleanup_recovered_total',
      'Rows stuck in deleting handed back to pending',
    ),
    cleanupDuration: new Histogram({
      name: 'broker_cleanup_duration_seconds',
      help: 'Cleanup run duration',
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    niosCleanup: counter('broker_niosxaas_cleanup_total', 'NIOSXaaS pre-delete clean-ups', [
      'outcome',
    ]),
    niosDeleted: counter(
      'broker_niosxaas_services_deleted_total',
      'Universal services deleted by the pre-clean',
    ),

    expiryTotal: counter('broker_expiry_total', 'Expiry runs', ['outcome']),
    expiryOrphaned: counter(
      'broker_expiry_orphaned_total',
      'Allocations expired to pending_deletion',
    ),
    stalePurged: counter('broker_stale_purged_total', 'Stale sandboxes tombstoned after the grace'),
    claimsRepaired: counter('broker_claim_repair_total', 'Open allocation claims repaired', [
      'outcome',
    ]),
    quotasRepaired: counter(
      'broker_quota_repair_total',
      'Per-track quota counters checked and corrected',
      ['outcome'],
    ),
    reservationSandboxes: counter(
      'broker_reservation_sandboxes_total',
      'Reservation job: sandboxes earmarked, given back, and seats it could not earmark (short)',
      ['action'],
    ),
  };
}

/**
 * Job metrics in a given registry: the worker's scheduled runs and the API's admin-triggered runs
 * count the same way. Names of the original broker are kept where one existed
 * (broker_sync_total{outcome}, broker_cleanup_total, broker_cleanup_deleted_total,
 * broker_cleanup_failed_total, broker_expiry_total, broker_expiry_orphaned_total,
 * broker_niosxaas_*).
 */
export class JobMetrics {
  private readonly m: ReturnType<typeof createJobMetricSet>;

  constructor(
    private readonly registry: Registry,
    provider?: Pick<SandboxProvider, 'breakerState'>,
    /** Called with the pool-gauges job's counts (the owner of the pool gauges sets them). */
    private readonly onPoolCounts?: (counts: PoolCounts | undefined) => void,
  ) {
    this.m = createJobMetricSet(registry);
    for (const job of JOB_NAMES)
      for (const outcome of ['success', 'error', 'skipped']) this.m.runs.inc({ job, outcome }, 0);
    for (const outcome of ['success', 'error', 'stopped']) this.m.cleanupTotal.inc({ outcome }, 0);
    for (const outcome of ['success', 'error']) {
      this.m.syncTotal.inc({ outcome }, 0);
      this.m.expiryTotal.inc({ outcome }, 0);
    }
    if (provider) {
      new Gauge({
        name: 'broker_provider_breaker_state',
        help: 'Circuit breaker state per kind of provider operation: 0 closed, 1 half-open, 2 open',
        labelNames: ['upstream', 'operation'],
        registers: [this.registry],
        collect() {
          for (const operation of PROVIDER_BREAKERS) {
            const upstream = PROVIDER_BREAKER_UPSTREAM[operation];
            this.set({ upstream, operation }, BREAKER_VALUES[provider.breakerState(operation)]);
          }
        },
      });
    }
  }

  cleanupAttempt(outcome: CleanupAttemptOutcome): void {
    this.m.cleanupAttempts.inc({ result: outcome });
    if (outcome === 'deleted') this.m.cleanupDeleted.inc();
    if (outcome === 'retry_scheduled' || outcome === 'quarantined') this.m.cleanupFailed.inc();
    if (outcome === 'quarantined') this.m.cleanupQuarantined.inc();
  }

  record(report: JobRunReport<unknown>): void {
    this.m.runs.inc({ job: report.job, outcome: report.outcome });
    if (report.outcome === 'skipped') return;
    const seconds = report.durationMs / 1000;
    const now = Date.now() / 1000;
    this.m.duration.observe({ job: report.job }, seconds);
    this.m.lastRun.set({ job: report.job }, now);
    if (report.outcome === 'success') this.m.lastSuccess.set({ job: report.job }, now);
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
        this.m.syncTotal.inc({ outcome });
        this.m.syncDuration.observe(seconds);
        const r = result as SyncResult | undefined;
        if (r) {
          this.m.syncSynced.inc(r.inserted + r.refreshed + r.revived);
          this.m.syncInserted.inc(r.inserted);
          this.m.syncRevived.inc(r.revived);
          this.m.syncStale.inc(r.markedStale);
          this.m.syncDiscrepancies.inc({ kind: 'still_listed' }, r.stillListed ?? 0);
          this.m.syncDiscrepancies.inc({ kind: 'unconfirmed' }, r.unconfirmed ?? 0);
          this.m.syncDiscrepancies.inc({ kind: 'allocated_vanished' }, r.allocatedVanished ?? 0);
          this.m.syncDiscrepancies.inc({ kind: 'tombstone_listed' }, r.tombstonesListed ?? 0);
          this.m.syncDiscrepancies.inc({ kind: 'tombstone_redeleted' }, r.tombstonesRedeleted ?? 0);
        }
        return;
      }
      case 'cleanup': {
        const r = result as CleanupResult | undefined;
        this.m.cleanupTotal.inc({ outcome: r?.stoppedBy ? 'stopped' : outcome });
        this.m.cleanupDuration.observe(seconds);
        if (r) {
          this.m.cleanupRecovered.inc(r.recovered);
          this.m.niosCleanup.inc({ outcome: 'success' }, r.preDelete.done);
          this.m.niosCleanup.inc({ outcome: 'failed' }, r.preDelete.failed);
          this.m.niosDeleted.inc(r.preDelete.servicesDeleted);
        }
        return;
      }
      case 'expiry': {
        this.m.expiryTotal.inc({ outcome });
        this.m.expiryOrphaned.inc((result as ExpiryResult | undefined)?.expired ?? 0);
        return;
      }
      case 'stale-purge':
        this.m.stalePurged.inc((result as StalePurgeResult | undefined)?.purged ?? 0);
        return;
      case 'claim-repair': {
        const r = result as ClaimRepairResult | undefined;
        if (r)
          for (const [key, n] of Object.entries(r)) this.m.claimsRepaired.inc({ outcome: key }, n);
        return;
      }
      case 'quota-repair': {
        const r = result as QuotaRepairResult | undefined;
        if (r)
          for (const [key, n] of Object.entries(r) as [string, number][]) {
            this.m.quotasRepaired.inc({ outcome: key }, n);
          }
        return;
      }
      case 'reservations': {
        const r = result as ReservationJobResult | null | undefined;
        if (r) {
          this.m.reservationSandboxes.inc({ action: 'earmarked' }, r.earmarked);
          this.m.reservationSandboxes.inc({ action: 'released' }, r.released);
          this.m.reservationSandboxes.inc({ action: 'short' }, r.short);
        }
        return;
      }
      case 'pool-gauges':
        // Pool gauges belong to the process's own registry (worker, API): see onPoolCounts.
        this.onPoolCounts?.(result as PoolCounts | undefined);
        return;
      case 'track-stats':
        // Only the generic job series (runs, duration, last success): the counts are the
        // console's snapshot item, not a metric.
        return;
    }
  }
}
