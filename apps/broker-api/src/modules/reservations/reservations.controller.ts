import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@broker/auth';
import { AdminApi } from '../../common/decorators/admin-api.decorator';
import { RequestId } from '../../common/decorators/request-id.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { CreateReservationDto, ResizeReservationDto } from './dto/create-reservation.dto';
import { ListReservationsQueryDto } from './dto/list-reservations-query.dto';
import { ReservationDto, ReservationPageDto } from './dto/reservation.dto';
import { ReservationIdPipe } from './reservation-id.pipe';
import { toReservationDto } from './reservation.presenter';
import { ReservationsService } from './reservations.service';

const idParam = ApiParam({ name: 'id', description: 'Reservation id' });
const notFound = ApiNotFoundResponse({ type: ProblemDto, description: 'RESERVATION_NOT_FOUND' });

/** Class reservations (issue #16): book, list, read, resize, cancel. */
@AdminApi('Admin: reservations')
@Controller('admin/reservations')
export class ReservationsController {
  constructor(private readonly service: ReservationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Book sandboxes for a class (checked against the stock)',
    description:
      'Confirmed only if the available stock for the name prefix, less the seats other live ' +
      'reservations still hold, covers `count` (serialised: two concurrent bookings never both ' +
      'pass the stock). Earmarking starts RESERVATION_LEAD_MINUTES before `starts_at`; unclaimed ' +
      'seats go back to the pool `release_unclaimed_after_minutes` after it, and all at `ends_at`.',
  })
  @ApiCreatedResponse({ type: ReservationDto })
  @ApiBadRequestResponse({
    type: ProblemDto,
    description: 'VALIDATION_ERROR (count < 1, …) / INVALID_RESERVATION_WINDOW',
  })
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'INSUFFICIENT_CAPACITY with `shortfall`, `available`, `committed`, `requested`',
  })
  async create(
    @Body() body: CreateReservationDto,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<ReservationDto> {
    const actor = { tokenName: principal.tokenName, requestId };
    return toReservationDto(await this.service.create(body, actor));
  }

  @Get()
  @ApiOperation({
    summary: 'List reservations, newest start first (filters: track, status)',
    description: 'Index reads only; pages may be shorter than `limit` when filters narrow a page.',
  })
  @ApiOkResponse({ type: ReservationPageDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR / INVALID_CURSOR' })
  async list(@Query() query: ListReservationsQueryDto): Promise<ReservationPageDto> {
    const page = await this.service.list(query);
    const reservations = page.items.map(toReservationDto);
    return { reservations, count: reservations.length, cursor: page.cursor };
  }

  @Get(':id')
  @idParam
  @ApiOperation({ summary: 'One reservation with held, allocated and remaining' })
  @ApiOkResponse({ type: ReservationDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (bad id)' })
  @notFound
  async get(@Param('id', ReservationIdPipe) id: string): Promise<ReservationDto> {
    return toReservationDto(await this.service.get(id));
  }

  @Patch(':id')
  @idParam
  @ApiOperation({
    summary: 'Shrink or grow (growing re-checks capacity)',
    description: 'A shrink gives excess earmarked sandboxes back on the next reservation job run.',
  })
  @ApiOkResponse({ type: ReservationDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR' })
  @notFound
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'INSUFFICIENT_CAPACITY / RESERVATION_NOT_ACTIVE (cancelled or ended)',
  })
  async resize(
    @Param('id', ReservationIdPipe) id: string,
    @Body() body: ResizeReservationDto,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<ReservationDto> {
    const actor = { tokenName: principal.tokenName, requestId };
    return toReservationDto(await this.service.resize(id, body.count, actor));
  }

  @Delete(':id')
  @HttpCode(200)
  @idParam
  @ApiOperation({
    summary: 'Cancel; earmarked sandboxes go back to the pool',
    description:
      'Up to 500 are given back inline, the reservation job gives back the rest. A repeat ' +
      'answers the cancelled reservation again.',
  })
  @ApiOkResponse({ type: ReservationDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (bad id)' })
  @notFound
  @ApiConflictResponse({ type: ProblemDto, description: 'RESERVATION_NOT_ACTIVE (ended)' })
  async cancel(
    @Param('id', ReservationIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<ReservationDto> {
    return toReservationDto(
      await this.service.cancel(id, { tokenName: principal.tokenName, requestId }),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @idParam
  @ApiOperation({ summary: 'Cancel (the same as DELETE, for clients without DELETE)' })
  @ApiOkResponse({ type: ReservationDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (bad id)' })
  @notFound
  @ApiConflictResponse({ type: ProblemDto, description: 'RESERVATION_NOT_ACTIVE (ended)' })
  cancelByPost(
    @Param('id', ReservationIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<ReservationDto> {
    return this.cancel(id, principal, requestId);
  }
}
