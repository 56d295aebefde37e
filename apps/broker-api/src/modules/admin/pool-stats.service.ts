import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  type PoolStats,
  SANDBOX_ADMIN_REPOSITORY,
  type SandboxAdminRepository,
} from '@broker/domain';
import { ADMIN_STATS_CACHE_MS, ADMIN_STATS_MAX_STALE_MS } from './admin.tokens';

export interface CachedPoolStats {
  readonly stats: PoolStats;
  /** Epoch ms when the counts were read (the answer's `generated_at` / `age_seconds`). */
  readonly generatedAtMs: number;
}

/**
 * Exact pool counts from index reads, cached per process so a console polling stats never
 * re-reads the indexes on every call; concurrent callers share one count.
 *
 * Counts younger than `ttlMs` are answered as they are. Older ones, up to `maxStaleMs`, are
 * answered at once while one recount runs in the background (stale-while-revalidate): at 100,000
 * sandboxes a recount takes seconds (apps/broker-console README, "Measured"), and the answer's
 * `age_seconds` says how old the counts are. Beyond that, or with `maxStaleMs` 0, the caller
 * waits for the recount. A failed background recount is logged and leaves the old counts.
 */
@Injectable()
export class PoolStatsService {
  private readonly logger = new Logger(PoolStatsService.name);
  private cached: CachedPoolStats | undefined;
  private inFlight: Promise<CachedPoolStats> | undefined;

  constructor(
    @Inject(SANDBOX_ADMIN_REPOSITORY) private readonly admin: SandboxAdminRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ADMIN_STATS_CACHE_MS) private readonly ttlMs: number,
    @Inject(ADMIN_STATS_MAX_STALE_MS) private readonly maxStaleMs: number = 0,
  ) {}

  async get(): Promise<CachedPoolStats> {
    const cached = this.cached;
    const age = cached ? this.clock.nowMs() - cached.generatedAtMs : Infinity;
    if (cached && age < this.ttlMs) return cached;
    const recount = this.recount();
    if (cached && age < this.maxStaleMs) {
      recount.catch((error: unknown) =>
        this.logger.warn(`Background stats recount failed: ${String(error)}`),
      );
      return cached;
    }
    return recount;
  }

  private recount(): Promise<CachedPoolStats> {
    this.inFlight ??= this.admin
      .stats()
      .then((stats) => (this.cached = { stats, generatedAtMs: this.clock.nowMs() }))
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }
}
