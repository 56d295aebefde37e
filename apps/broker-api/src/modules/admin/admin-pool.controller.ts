import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@broker/auth';
import {
  ALL_SANDBOX_STATUSES,
  JOB_RUN_REPOSITORY,
  type JobRunRepository,
  type SandboxStatus,
} from '@broker/domain';
import { RequestId } from '../../common/decorators/request-id.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { AdminActionsService, type BulkResult } from './admin-actions.service';
import { BulkDeleteQueryDto } from './dto/bulk-delete-query.dto';
import { DeleteStaleQueryDto } from './dto/delete-stale-query.dto';
import { PoolStatsService } from './pool-stats.service';
import { AdminApi } from '../../common/decorators/admin-api.decorator';

const DEFAULT_BULK_LIMIT = 500;
const DEFAULT_GRACE_HOURS = 24;

/** Pool-wide views and changes: stats, bulk delete, delete stale. */
@AdminApi('Admin: pool')
@Controller('admin')
export class AdminPoolController {
  constructor(
    private readonly stats: PoolStatsService,
    private readonly actions: AdminActionsService,
    @Inject(JOB_RUN_REPOSITORY) private readonly runs: JobRunRepository,
  ) {}

  @Get('stats')
  @ApiOperation({
    summary: 'Exact counts by status and by name prefix',
    description:
      'Counted from index reads (never a table scan) and cached per API task for ' +
      'ADMIN_STATS_CACHE_SEC; past it, counts up to ADMIN_STATS_MAX_STALE_SEC old are answered ' +
      'while one recount runs in the background. `age_seconds` says how old the counts are. ' +
      'The flat keys are the ' +
      "original's. `provider_discrepancies`: tombstones the last complete sync still found " +
      'listed at the provider (each is deleted again) and allocated sandboxes whose account ' +
      'vanished there. `last_sync_at` / `last_cleanup_at`: when the last successful run of ' +
      'each job finished (null when none is recorded).',
  })
  @ApiOkResponse({ description: 'Counts' })
  async getStats(): Promise<Record<string, unknown>> {
    const [{ stats, generatedAtMs }, lastSync, lastCleanup] = await Promise.all([
      this.stats.get(),
      lastSuccessAt(this.runs, 'sync'),
      lastSuccessAt(this.runs, 'cleanup'),
    ]);
    const flat = Object.fromEntries(ALL_SANDBOX_STATUSES.map((s) => [s, stats.byStatus[s]]));
    return {
      total: stats.total,
      ...flat,
      by_status: stats.byStatus,
      by_prefix: stats.byPrefix,
      // What the last complete sync found wrong at the provider (null before the first one).
      provider_discrepancies: stats.providerDiscrepancies
        ? {
            tombstones_still_listed: stats.providerDiscrepancies.tombstonesStillListed,
            allocated_vanished: stats.providerDiscrepancies.allocatedVanished,
            as_of: new Date(stats.providerDiscrepancies.atMs).toISOString(),
          }
        : null,
      // The last successful run of each job (scheduled or triggered), null when none is recorded.
      last_sync_at: lastSync,
      last_cleanup_at: lastCleanup,
      generated_at: new Date(generatedAtMs).toISOString(),
      age_seconds: Math.max(0, Math.floor((Date.now() - generatedAtMs) / 1000)),
    };
  }

  @Post('bulk-delete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send every row in a status towards deletion (bounded per call)',
    description:
      'available, stale, deletion_failed, quarantined → pending_deletion (the cleanup job deletes ' +
      'the provider accounts and tombstones them). allocated | reserved (earmarked for a class) → ' +
      'pending_deletion and ' +
      'pending_deletion | deleting → deleted (DB only) need force=true. Rows are never removed.',
  })
  @ApiOkResponse({ description: 'What was done' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (status required)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'FORCE_REQUIRED' })
  async bulkDelete(
    @Query() query: BulkDeleteQueryDto,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const started = performance.now();
    const result = await this.actions.bulkDelete(
      query.status,
      query.force === 'true',
      query.limit ?? DEFAULT_BULK_LIMIT,
      { tokenName: principal.tokenName, requestId },
    );
    return toBulkBody(result, query.status, started);
  }

  @Post(['delete-stale', 'auto-delete-stale'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Tombstone stale rows stale for at least grace_hours (default 24, ≥ 0)',
    description: "`auto-delete-stale?grace_period_hours=` is the original's name for it.",
  })
  @ApiOkResponse({ description: 'What was done' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR' })
  async deleteStale(
    @Query() query: DeleteStaleQueryDto,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const started = performance.now();
    const grace = query.grace_hours ?? query.grace_period_hours ?? DEFAULT_GRACE_HOURS;
    const result = await this.actions.deleteStale(grace, {
      tokenName: principal.tokenName,
      requestId,
    });
    return { ...toBulkBody(result, 'stale', started), grace_hours: grace };
  }
}

/** Runs read to find the last successful one (a few failures in a row are still covered). */
const LAST_SUCCESS_LOOKBACK = 20;

async function lastSuccessAt(runs: JobRunRepository, job: string): Promise<string | null> {
  const recent = await runs.recent(job, LAST_SUCCESS_LOOKBACK);
  const ok = recent.find((run) => run.status === 'succeeded');
  return ok ? new Date(ok.finishedAtMs ?? ok.startedAtMs).toISOString() : null;
}

function toBulkBody(
  result: BulkResult,
  from: SandboxStatus,
  startedMs: number,
): Record<string, unknown> {
  return {
    status: result.hasMore ? 'partial' : 'completed',
    from,
    to: result.to,
    matched: result.matched,
    changed: result.changed,
    skipped: result.skipped,
    deleted: result.changed,
    has_more: result.hasMore,
    duration_ms: Math.round(performance.now() - startedMs),
  };
}
