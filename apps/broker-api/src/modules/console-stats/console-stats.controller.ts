import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  ACTIVITY_STATS_REPOSITORY,
  type ActivityStatsRepository,
  CLOCK,
  type CleanupOutcomeCounts,
  type Clock,
  HOUR_MS,
  hourStartOf,
} from '@broker/domain';
import { AdminApi } from '../../common/decorators/admin-api.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { CHART_WINDOWS, type ChartWindow, ChartWindowQueryDto } from './dto/chart-window-query.dto';
import {
  AllocationChartDto,
  type CleanupCountsDto,
  CleanupChartDto,
  TrackChartDto,
} from './dto/chart.dto';

/**
 * The data behind the console's charts: keyed reads of counters written off the request path
 * (at most 168 keys per answer, one item for the tracks), never a scan of events or rows, so
 * the cost does not grow with the pool or the event log.
 */
@AdminApi('Admin: console charts')
@Controller('admin/stats')
export class ConsoleStatsController {
  constructor(
    @Inject(ACTIVITY_STATS_REPOSITORY) private readonly activity: ActivityStatsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('allocations')
  @ApiOperation({
    summary: 'Allocations per hour over the last 24 h or 7 days',
    description:
      'Hourly counters added at each event-log flush (one UpdateItem ADD per hour); ' +
      'BatchGetItem of 24 or 168 keys. Buckets are UTC hours, oldest first, the last one the ' +
      'current (partial) hour; hours without allocations are 0.',
  })
  @ApiOkResponse({ type: AllocationChartDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (window)' })
  async allocations(@Query() query: ChartWindowQueryDto): Promise<AllocationChartDto> {
    const { window, hours, from, now } = this.range(query.window);
    const counts = await this.activity.allocationsPerHour(from, hours);
    return {
      window,
      bucket_seconds: HOUR_MS / 1000,
      generated_at: new Date(now).toISOString(),
      buckets: counts.map((allocations, i) => ({
        start: new Date(from + i * HOUR_MS).toISOString(),
        allocations,
      })),
    };
  }

  @Get('cleanup')
  @ApiOperation({
    summary: 'Cleanup outcomes per hour over the last 24 h or 7 days',
    description:
      'Added by the worker at the end of each cleanup run: deleted, retried (scheduled again), ' +
      'failed (abandoned or lost), quarantined, and the NIOSXaaS pre-delete cleaned / skipped / ' +
      'failed counts.',
  })
  @ApiOkResponse({ type: CleanupChartDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (window)' })
  async cleanup(@Query() query: ChartWindowQueryDto): Promise<CleanupChartDto> {
    const { window, hours, from, now } = this.range(query.window);
    const perHour = await this.activity.cleanupPerHour(from, hours);
    const totals = perHour.reduce<CleanupCountsDto>(
      (sum, counts) => addCounts(sum, toCountsDto(counts)),
      toCountsDto(undefined),
    );
    return {
      window,
      bucket_seconds: HOUR_MS / 1000,
      generated_at: new Date(now).toISOString(),
      totals,
      buckets: perHour.map((counts, i) => ({
        start: new Date(from + i * HOUR_MS).toISOString(),
        ...toCountsDto(counts),
      })),
    };
  }

  @Get('tracks')
  @ApiOperation({
    summary: 'Sandboxes held now, per track',
    description:
      "One item: the worker's periodic recount of the allocated StatusIndex partitions " +
      '(TRACK_STATS_INTERVAL_SEC). `as_of` says when; null before the first recount.',
  })
  @ApiOkResponse({ type: TrackChartDto })
  async tracks(): Promise<TrackChartDto> {
    const snapshot = await this.activity.readTrackSnapshot();
    return {
      as_of: snapshot ? new Date(snapshot.asOfMs).toISOString() : null,
      tracks: snapshot
        ? snapshot.tracks.map((t) => ({ track: t.track, allocated: t.allocated }))
        : [],
    };
  }

  private range(requested: ChartWindow | undefined) {
    const window: ChartWindow = requested ?? '24h';
    const hours = CHART_WINDOWS[window];
    const now = this.clock.nowMs();
    return { window, hours, now, from: hourStartOf(now) - (hours - 1) * HOUR_MS };
  }
}

function toCountsDto(counts: CleanupOutcomeCounts | undefined): CleanupCountsDto {
  return {
    deleted: counts?.deleted ?? 0,
    retried: counts?.retried ?? 0,
    failed: counts?.failed ?? 0,
    quarantined: counts?.quarantined ?? 0,
    niosxaas_cleaned: counts?.niosxaasCleaned ?? 0,
    niosxaas_skipped: counts?.niosxaasSkipped ?? 0,
    niosxaas_failed: counts?.niosxaasFailed ?? 0,
  };
}

function addCounts(a: CleanupCountsDto, b: CleanupCountsDto): CleanupCountsDto {
  return {
    deleted: a.deleted + b.deleted,
    retried: a.retried + b.retried,
    failed: a.failed + b.failed,
    quarantined: a.quarantined + b.quarantined,
    niosxaas_cleaned: a.niosxaas_cleaned + b.niosxaas_cleaned,
    niosxaas_skipped: a.niosxaas_skipped + b.niosxaas_skipped,
    niosxaas_failed: a.niosxaas_failed + b.niosxaas_failed,
  };
}
