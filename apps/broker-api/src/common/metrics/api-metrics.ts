import {
  ALL_SANDBOX_STATUSES,
  AllocationInProgressError,
  ConcurrentModificationError,
  NoSandboxesAvailableError,
  NotSandboxOwnerError,
  SandboxNotFoundError,
  type SandboxStatus,
} from '@broker/domain';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const API_METRICS = Symbol.for('broker.ApiMetrics');

/** `broker_allocate_total{outcome}`: the original's four plus in_progress and contention. */
export const ALLOCATION_OUTCOMES = [
  'success',
  'idempotent',
  'no_sandboxes',
  'in_progress',
  'contention',
  'error',
] as const;
export type AllocationOutcome = (typeof ALLOCATION_OUTCOMES)[number];

/** `broker_deletion_marked_total{outcome}`. */
export const RELEASE_OUTCOMES = [
  'success',
  'idempotent',
  'not_found',
  'not_owner',
  'error',
] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

/** The original's allocation histogram buckets (seconds). */
const ALLOCATION_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1];
const POOL_GAUGES = [...ALL_SANDBOX_STATUSES, 'total'] as const;

type Inc = { inc(value?: number): void };
type Observe = { observe(value: number): void };

export function allocationOutcomeOf(error: unknown): AllocationOutcome {
  if (error instanceof NoSandboxesAvailableError) return 'no_sandboxes';
  if (error instanceof AllocationInProgressError) return 'in_progress';
  if (error instanceof ConcurrentModificationError) return 'contention';
  return 'error';
}

export function releaseOutcomeOf(error: unknown): ReleaseOutcome {
  if (error instanceof SandboxNotFoundError) return 'not_found';
  if (error instanceof NotSandboxOwnerError) return 'not_owner';
  return 'error';
}

export interface PoolCountsSource {
  countByStatus(): Promise<Record<SandboxStatus, number>>;
}

/**
 * The API's metrics in a private registry (one per app instance, so tests can run several apps in
 * one process). Names follow the original broker (broker_allocate_total, ...). Hot-path methods
 * are synchronous and touch pre-created label children only.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  private readonly allocateTotal = this.counter(
    'broker_allocate_total',
    'Allocation requests by outcome',
    ['outcome'],
  );
  private readonly allocateLatency = new Histogram({
    name: 'broker_allocation_latency_seconds',
    help: 'Time spent in the repository per allocation, by outcome',
    labelNames: ['outcome'],
    buckets: ALLOCATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly allocationCounters = new Map<AllocationOutcome, Inc>();
  private readonly allocationTimers = new Map<AllocationOutcome, Observe>();
  private readonly idempotentHits: Counter = this.counter(
    'broker_allocate_idempotent_hits_total',
    'Allocations answered with the sandbox the student already holds',
  );
  private readonly conflicts: Counter = this.counter(
    'broker_allocate_conflicts_total',
    'Candidate sandboxes lost to a concurrent allocation (retried with the next candidate)',
  );
  private readonly releaseTotal = this.counter(
    'broker_deletion_marked_total',
    'Mark-for-deletion requests by outcome',
    ['outcome'],
  );
  private readonly releaseCounters = new Map<ReleaseOutcome, Inc>();

  private readonly poolGauges = new Map(
    POOL_GAUGES.map((status) => [
      status,
      new Gauge({
        name: `broker_pool_${status}`,
        help:
          status === 'total'
            ? 'Sandbox rows in every status (cached; see broker_pool_refreshed_timestamp_seconds)'
            : `Sandboxes in status ${status} (cached; see broker_pool_refreshed_timestamp_seconds)`,
        registers: [this.registry],
      }),
    ]),
  );
  private readonly poolRefreshed = new Gauge({
    name: 'broker_pool_refreshed_timestamp_seconds',
    help: 'Unix time of the last successful pool count (0: not yet counted)',
    registers: [this.registry],
  });
  private readonly poolRefreshErrors: Counter = this.counter(
    'broker_pool_refresh_errors_total',
    'Pool counts that failed (the gauges keep their last values)',
  );

  private readonly jobRequests: Counter = this.counter(
    'broker_job_requests_total',
    'Admin run requests: recorded, refused (job running or already requested), expired (no worker)',
    ['job', 'outcome'],
  );

  private readonly tokenLimitCounters = {
    requests: this.counter(
      'broker_token_requests_limited_total',
      "Requests refused because their token's overall bucket was empty, by token name",
      ['token'],
    ),
    allocations: this.counter(
      'broker_token_allocations_limited_total',
      "Allocations refused because their token's allocation bucket was empty (a spike of new " +
        'students from one token), by token name',
      ['token'],
    ),
  } as const;

  private poolSource: PoolCountsSource | undefined;
  private poolRefreshedAtMs = Number.NEGATIVE_INFINITY;
  private poolRefreshing: Promise<void> | undefined;

  constructor(
    private readonly settings: {
      /** Pool gauges are re-counted at most this often. */
      readonly poolCacheMs: number;
      readonly now?: () => number;
      readonly onPoolError?: (error: unknown) => void;
      /** Track token names: their limit counters start at 0 so alerts work from boot. */
      readonly tokenNames?: readonly string[];
    } = { poolCacheMs: 15_000 },
  ) {
    for (const token of settings.tokenNames ?? []) {
      this.tokenLimitCounters.requests.labels({ token }).inc(0);
      this.tokenLimitCounters.allocations.labels({ token }).inc(0);
    }
    collectDefaultMetrics({ register: this.registry });
    for (const outcome of ALLOCATION_OUTCOMES) {
      const counter = this.allocateTotal.labels({ outcome });
      counter.inc(0);
      this.allocationCounters.set(outcome, counter);
      this.allocationTimers.set(outcome, this.allocateLatency.labels({ outcome }));
    }
    for (const outcome of RELEASE_OUTCOMES) {
      const counter = this.releaseTotal.labels({ outcome });
      counter.inc(0);
      this.releaseCounters.set(outcome, counter);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** `startedMs` from performance.now() when the allocation began. */
  allocation(outcome: AllocationOutcome, startedMs: number): void {
    this.allocationCounters.get(outcome)?.inc();
    this.allocationTimers.get(outcome)?.observe((performance.now() - startedMs) / 1000);
    if (outcome === 'idempotent') this.idempotentHits.inc();
  }

  /** Called by the repository each time a conditional claim of a candidate loses. */
  allocationConflict(): void {
    this.conflicts.inc();
  }

  release(outcome: ReleaseOutcome): void {
    this.releaseCounters.get(outcome)?.inc();
  }

  /** A token's overall or allocation bucket refused a request (label: configured name). */
  tokenLimited(limit: 'requests' | 'allocations', tokenName: string): void {
    this.tokenLimitCounters[limit].inc({ token: tokenName });
  }

  /** An admin run request recorded, refused, or marked expired by this API task. */
  jobRequest(outcome: 'requested' | 'refused' | 'expired', job: string): void {
    this.jobRequests.inc({ job, outcome });
  }

  /** Where the pool gauges come from (set once the repository exists). */
  attachPool(source: PoolCountsSource): void {
    this.poolSource = source;
  }

  /**
   * Starts a pool count when the cached one is older than `poolCacheMs` and none is running.
   * Never awaited by a scrape: the scrape serves the last values.
   */
  refreshPoolIfStale(): Promise<void> | undefined {
    const now = (this.settings.now ?? Date.now)();
    if (this.poolSource === undefined || this.poolRefreshing !== undefined) {
      return this.poolRefreshing;
    }
    if (now - this.poolRefreshedAtMs < this.settings.poolCacheMs) return undefined;
    const source = this.poolSource;
    this.poolRefreshing = source
      .countByStatus()
      .then((counts) => {
        let total = 0;
        for (const status of ALL_SANDBOX_STATUSES) {
          const n = counts[status] ?? 0;
          total += n;
          this.poolGauges.get(status)?.set(n);
        }
        this.poolGauges.get('total')?.set(total);
        this.poolRefreshedAtMs = (this.settings.now ?? Date.now)();
        this.poolRefreshed.set(this.poolRefreshedAtMs / 1000);
      })
      .catch((error: unknown) => {
        this.poolRefreshErrors.inc();
        // Try again at the next scrape after the cache period, not on every scrape.
        this.poolRefreshedAtMs = (this.settings.now ?? Date.now)();
        this.settings.onPoolError?.(error);
      })
      .finally(() => {
        this.poolRefreshing = undefined;
      });
    return this.poolRefreshing;
  }

  /** The text exposition; kicks off a pool refresh in the background when due. */
  scrape(): Promise<string> {
    void this.refreshPoolIfStale();
    return this.registry.metrics();
  }

  private counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
