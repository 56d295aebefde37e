import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  type PoolStats,
  SANDBOX_ADMIN_REPOSITORY,
  type SandboxAdminRepository,
} from '@broker/domain';
import { ADMIN_STATS_CACHE_MS } from './admin.tokens';

export interface CachedPoolStats {
  readonly stats: PoolStats;
  readonly generatedAtMs: number;
}

/**
 * Exact pool counts from index reads, cached per process for a short TTL so a dashboard polling
 * stats never re-reads the indexes on every call. Concurrent callers share one count.
 */
@Injectable()
export class PoolStatsService {
  private cached: CachedPoolStats | undefined;
  private inFlight: Promise<CachedPoolStats> | undefined;

  constructor(
    @Inject(SANDBOX_ADMIN_REPOSITORY) private readonly admin: SandboxAdminRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ADMIN_STATS_CACHE_MS) private readonly ttlMs: number,
  ) {}

  async get(): Promise<CachedPoolStats> {
    const now = this.clock.nowMs();
    if (this.cached && now - this.cached.generatedAtMs < this.ttlMs) return this.cached;
    this.inFlight ??= this.admin
      .stats()
      .then((stats) => (this.cached = { stats, generatedAtMs: this.clock.nowMs() }))
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }
}
