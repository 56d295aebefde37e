import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { SANDBOX_EVENT_LOG, type SandboxEventLog } from '@broker/domain';
import { ProblemDto } from '../../common/dto/problem.dto';
import { EventsPageDto } from './dto/events-page.dto';
import { ListEventsQueryDto } from './dto/list-events-query.dto';
import { toEventsPage } from './events.presenter';
import { AdminApi } from '../../common/decorators/admin-api.decorator';

const DEFAULT_LIMIT = 50;

/** The audit trail: every state transition and admin action, newest first. */
@AdminApi('Admin: events')
@Controller('admin/events')
export class EventsController {
  constructor(@Inject(SANDBOX_EVENT_LOG) private readonly events: SandboxEventLog) {}

  @Get()
  @ApiOperation({
    summary: 'List sandbox events, newest first',
    description:
      'Filters: sandbox_id, type, from/to (inclusive, ISO-8601 with zone). Follow `cursor` for ' +
      'the next page; a cursor only works with the filter it was issued for.',
  })
  @ApiOkResponse({ type: EventsPageDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR / INVALID_CURSOR' })
  async list(@Query() query: ListEventsQueryDto): Promise<EventsPageDto> {
    const fromMs = query.from === undefined ? undefined : Date.parse(query.from);
    const toMs = query.to === undefined ? undefined : Date.parse(query.to);
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
      throw new BadRequestException({
        code: 'VALIDATION_ERROR',
        message: 'Request validation failed',
        errors: [{ field: 'from', message: 'from must not be after to' }],
      });
    }
    const page = await this.events.list({
      limit: query.limit ?? DEFAULT_LIMIT,
      sandboxId: query.sandbox_id,
      type: query.type,
      fromMs,
      toMs,
      cursor: query.cursor,
    });
    return toEventsPage(page);
  }
}
