import { PageQueryDto } from '../../../common/dto/page-query.dto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { RESERVATION_STATUSES, type ReservationStatus } from '@broker/domain';
import { PRINTABLE } from './create-reservation.dto';

/** `GET /v1/admin/reservations` query. */
export class ListReservationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Track slug' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(PRINTABLE, { message: 'track must be printable ASCII without spaces' })
  track?: string;

  @ApiPropertyOptional({ enum: RESERVATION_STATUSES })
  @IsOptional()
  @IsIn(RESERVATION_STATUSES)
  status?: ReservationStatus;
}

/** `GET /v1/admin/capacity` query. */
export class CapacityQueryDto {
  @ApiPropertyOptional({ description: 'Sandbox name prefix; default every sandbox' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(PRINTABLE, { message: 'prefix must be printable ASCII without spaces' })
  prefix?: string;

  @ApiPropertyOptional({
    description:
      'Horizon, epoch seconds: windows starting up to then; default now + CAPACITY_FORECAST_DAYS',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(4_102_444_800)
  at?: number;
}
