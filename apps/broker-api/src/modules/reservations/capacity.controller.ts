import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  CLOCK,
  type Clock,
  nowSeconds,
  RESERVATION_REPOSITORY,
  type ReservationRepository,
} from '@broker/domain';
import type { ReservationSettings } from '../../config/api-config';
import { AdminApi } from '../../common/decorators/admin-api.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { CapacityQueryDto } from './dto/list-reservations-query.dto';
import { CapacityDto } from './dto/reservation.dto';
import { toCapacityDto } from './reservation.presenter';
import { RESERVATION_SETTINGS } from './reservations.tokens';

/** The capacity forecast (issue #16 part 5): what to create at the provider, and by when. */
@AdminApi('Admin: reservations')
@Controller('admin/capacity')
export class CapacityController {
  constructor(
    @Inject(RESERVATION_REPOSITORY) private readonly reservations: ReservationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RESERVATION_SETTINGS) private readonly settings: ReservationSettings,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Stock now against the reservations ahead, with the shortfall per window',
    description:
      'For the name prefix: sandboxes available and earmarked now, the seats live reservations ' +
      'starting up to `at` still need, and per reservation window (in start order, since a ' +
      'sandbox is used once) the cumulative need and the shortfall: "short by 12 for track X at ' +
      '09:00" means create 12 sandboxes at the provider before then. Index reads only.',
  })
  @ApiOkResponse({ type: CapacityDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR' })
  async forecast(@Query() query: CapacityQueryDto): Promise<CapacityDto> {
    const until = query.at ?? nowSeconds(this.clock) + this.settings.forecastSeconds;
    const forecast = await this.reservations.forecast(query.prefix ?? '', until);
    return toCapacityDto(forecast, until);
  }
}
