import type { Clock, LeasePolicy, SandboxProvider, SandboxStore } from '@broker/domain';
import { ClaimRepairJob } from '../claim-repair/claim-repair.job';
import {
  type CleanupAttemptOutcome,
  CleanupJob,
  type CleanupOptions,
} from '../cleanup/cleanup.job';
import { ExpiryJob } from '../expiry/expiry.job';
import { TokenBucket } from '../limits/token-bucket';
import { PoolGaugesJob } from '../pool-gauges/pool-gauges.job';
import { QuotaRepairJob } from '../quota-repair/quota-repair.job';
import { StalePurgeJob } from '../stale-purge/stale-purge.job';
import { SyncJob } from '../sync/sync.job';
import { NoReservationsJob, ReservationJob } from '../reservations/reservation.job';
import { TrackStatsJob } from '../track-stats/track-stats.job';
import { recordRun, type RunRecordsDeps } from './run-records';
import type { Job, JobLogger, JobName } from './job';
import { type JobRunReport, LeasedJobRunner, type RunSignals } from './leased-job-runner';

/**
 * The parts of the store the jobs write through (`createDynamoStore`, `createInMemoryStore`).
 * `activity` (chart counters, track snapshot), `runs` (records of scheduled sync/cleanup runs)
 * and `reservationLifecycle` are optional: without them nothing is counted, recorded or earmarked.
 */
export type JobStorage = Pick<
  SandboxStore,
  'sandboxes' | 'lifecycle' | 'leases' | 'events' | 'quotas'
> &
  Partial<Pick<SandboxStore, 'activity' | 'runs' | 'reservationLifecycle'>>;

export interface JobSetSettings {
  readonly leaseTtlMs: number;
  readonly staleGraceSeconds: number;
  readonly cleanup: CleanupOptions & { readonly ratePerSec: number };
  /** QuotaRepairJob's settle time (ms); its default when absent. */
  readonly quotaRepairSettleMs?: number;
}

export interface JobSetDeps {
  readonly settings: JobSetSettings;
  readonly storage: JobStorage;
  readonly provider: SandboxProvider;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly logger: JobLogger;
  /** Identifies this process in lease and claim owner tokens. */
  readonly workerId: string;
  readonly onReport?: (report: JobRunReport<unknown>) => void;
  readonly onCleanupAttempt?: (outcome: CleanupAttemptOutcome) => void;
}

/**
 * Every job instance plus the leased runner that runs them, built by the worker: its scheduler
 * and its run-request poller (admin triggers) both run jobs through it, under the same DynamoDB
 * lease, so the same job never runs twice at once, in this process or another.
 */
export class JobSet {
  readonly runner: LeasedJobRunner;
  private readonly jobs: Record<JobName, Job<unknown>>;
  private readonly records: RunRecordsDeps;

  constructor(deps: JobSetDeps) {
    const { settings, storage, provider, clock, lease, logger } = deps;
    this.runner = new LeasedJobRunner({
      leases: storage.leases,
      workerId: deps.workerId,
      leaseTtlMs: settings.leaseTtlMs,
      logger,
      ...(deps.onReport ? { onReport: deps.onReport } : {}),
    });
    const { sandboxes: pool, lifecycle, events } = storage;
    // One bucket for the process's lifetime: the rate holds across runs, not just within one.
    // Its first delete waits a second: a restarted worker cannot join its predecessor's last
    // second (the rate holds across restarts; the job lease keeps runs from overlapping).
    const limiter = new TokenBucket({
      ratePerSec: settings.cleanup.ratePerSec,
      firstTokenAfterMs: 1_000,
    });
    this.jobs = {
      sync: new SyncJob({ provider, pool, lifecycle, clock, logger, events, limiter }),
      cleanup: new CleanupJob(
        {
          provider,
          pool,
          lifecycle,
          limiter,
          clock,
          logger,
          events,
          ...(deps.onCleanupAttempt ? { onAttempt: deps.onCleanupAttempt } : {}),
        },
        settings.cleanup,
      ),
      expiry: new ExpiryJob({ pool, lifecycle, clock, lease, logger, events }),
      'stale-purge': new StalePurgeJob(
        { pool, lifecycle, clock, logger, events },
        { graceSeconds: settings.staleGraceSeconds },
      ),
      'claim-repair': new ClaimRepairJob({ pool, clock, logger, events }),
      'pool-gauges': new PoolGaugesJob({ pool }),
      'track-stats': new TrackStatsJob({
        pool,
        activity: storage.activity ?? { writeTrackSnapshot: () => Promise.resolve() },
        clock,
      }),
      'quota-repair': new QuotaRepairJob(
        { quotas: storage.quotas, logger, events },
        settings.quotaRepairSettleMs !== undefined
          ? { settleMs: settings.quotaRepairSettleMs }
          : {},
      ),
      reservations: storage.reservationLifecycle
        ? new ReservationJob({
            reservations: storage.reservationLifecycle,
            clock,
            logger,
            events,
          })
        : new NoReservationsJob(),
    };
    this.records = {
      activity: storage.activity,
      runs: storage.runs,
      clock,
      logger,
      workerId: deps.workerId,
    };
  }

  get workerId(): string {
    return this.runner.workerId;
  }

  job(name: JobName): Job<unknown> {
    return this.jobs[name];
  }

  /** One leased run, then its bookkeeping (cleanup counters, scheduled run records). */
  async runOnce(name: JobName, signals: RunSignals = {}): Promise<JobRunReport<unknown>> {
    const report = await this.runner.run(this.jobs[name], signals);
    await recordRun(this.records, report, signals);
    return report;
  }
}
