import { Body, Controller, Delete, Get, HttpCode, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '@broker/auth';
import type { TrackQuota } from '@broker/domain';
import { AdminApi } from '../../common/decorators/admin-api.decorator';
import { RequestId } from '../../common/decorators/request-id.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { ListQuotasQueryDto } from './dto/list-quotas-query.dto';
import { PutQuotaBodyDto } from './dto/put-quota-body.dto';
import { TrackQuotaDto, TrackQuotaPageDto } from './dto/track-quota.dto';
import { TrackParam } from './track-param.decorator';
import { TrackQuotasService } from './track-quotas.service';

const DEFAULT_LIMIT = 50;
const trackParam = ApiParam({
  name: 'track',
  description: 'Instruqt track slug, as sent in X-Instruqt-Track-ID',
  example: 'dns-basics',
});
const badTrack = ApiBadRequestResponse({
  type: ProblemDto,
  description: 'VALIDATION_ERROR (track slug)',
});

/**
 * Per-track quotas (`/v1/admin/tracks`): the most sandboxes a track may hold at once. An
 * allocation over its track's quota is 409 TRACK_QUOTA_EXCEEDED (a student who already holds a
 * sandbox still gets it, 200).
 */
@AdminApi('Admin: track quotas')
@Controller('admin/tracks')
export class TrackQuotasController {
  constructor(private readonly quotas: TrackQuotasService) {}

  @Get('quotas')
  @ApiOperation({
    summary: 'List track quotas (track order)',
    description: 'Follow `cursor` for the next page.',
  })
  @ApiOkResponse({ type: TrackQuotaPageDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR / INVALID_CURSOR' })
  async list(@Query() query: ListQuotasQueryDto): Promise<TrackQuotaPageDto> {
    const page = await this.quotas.list(query.limit ?? DEFAULT_LIMIT, query.cursor);
    const quotas = page.items.map(toDto);
    return { quotas, count: quotas.length, cursor: page.cursor };
  }

  @Put(':track/quota')
  @trackParam
  @ApiOperation({
    summary: "Set a track's quota (the most sandboxes it may hold at once)",
    description:
      'Creates the quota (201) or changes its limit (200). A new quota starts its counter at ' +
      "the track's allocated sandboxes counted now; the worker's quota-repair job corrects " +
      'it within QUOTA_REPAIR_INTERVAL_SEC. Lowering the limit below `held` revokes nothing: ' +
      'new allocations are refused until enough are released. Every API task enforces a new ' +
      'quota within 5 s. One admin_action event `quota_set`.',
  })
  @ApiOkResponse({ type: TrackQuotaDto, description: 'Changed' })
  @ApiCreatedResponse({ type: TrackQuotaDto, description: 'Created' })
  @ApiBadRequestResponse({
    type: ProblemDto,
    description: 'VALIDATION_ERROR (track slug; max_allocated an integer 0…100000)',
  })
  async put(
    @TrackParam() track: string,
    @Body() body: PutQuotaBodyDto,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TrackQuotaDto> {
    const result = await this.quotas.put(track, body.max_allocated, {
      tokenName: principal.tokenName,
      requestId,
    });
    void reply.status(result.created ? 201 : 200);
    return toDto(result.quota);
  }

  @Get(':track/quota')
  @trackParam
  @ApiOperation({ summary: "A track's quota and how many sandboxes it holds" })
  @ApiOkResponse({ type: TrackQuotaDto })
  @badTrack
  @ApiNotFoundResponse({ type: ProblemDto, description: 'TRACK_NOT_FOUND (no quota)' })
  async get(@TrackParam() track: string): Promise<TrackQuotaDto> {
    return toDto(await this.quotas.get(track));
  }

  @Delete(':track/quota')
  @HttpCode(204)
  @trackParam
  @ApiOperation({
    summary: "Remove a track's quota (the track is unlimited again)",
    description: 'One admin_action event `quota_deleted`.',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @badTrack
  @ApiNotFoundResponse({ type: ProblemDto, description: 'TRACK_NOT_FOUND (no quota)' })
  async delete(
    @TrackParam() track: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<void> {
    await this.quotas.delete(track, { tokenName: principal.tokenName, requestId });
  }
}

function toDto(quota: TrackQuota): TrackQuotaDto {
  return {
    track: quota.track,
    max_allocated: quota.maxAllocated,
    held: quota.held,
    updated_at: new Date(quota.updatedAt * 1000).toISOString(),
  };
}
