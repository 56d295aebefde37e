import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Printable ASCII without spaces: what track slugs and name prefixes may contain. */
export const PRINTABLE = /^[\x21-\x7e]+$/;
/** Upper bound of one booking (one ledger item holds every live booking). */
export const MAX_RESERVATION_COUNT = 10_000;
/** Epoch seconds accepted for a window: up to the year 2100. */
const MAX_EPOCH = 4_102_444_800;

/** `POST /v1/admin/reservations` body. */
export class CreateReservationDto {
  @ApiProperty({ description: 'Instruqt track slug (`X-Instruqt-Track-ID`) of the class' })
  @IsString()
  @MaxLength(256)
  @Matches(PRINTABLE, { message: 'track must be printable ASCII without spaces' })
  track!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_RESERVATION_COUNT, description: 'Seats (sandboxes)' })
  @IsInt()
  @Min(1)
  @Max(MAX_RESERVATION_COUNT)
  count!: number;

  @ApiProperty({ description: 'Class start, epoch seconds' })
  @IsInt()
  @Min(0)
  @Max(MAX_EPOCH)
  starts_at!: number;

  @ApiProperty({ description: 'Class end, epoch seconds; after `starts_at` and in the future' })
  @IsInt()
  @Min(0)
  @Max(MAX_EPOCH)
  ends_at!: number;

  @ApiPropertyOptional({ description: 'Only sandboxes whose name starts with this; default any' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(PRINTABLE, { message: 'name_prefix must be printable ASCII without spaces' })
  name_prefix?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10_080,
    description:
      'Give unclaimed seats back this long after start; default RESERVATION_RELEASE_UNCLAIMED_MINUTES',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_080)
  release_unclaimed_after_minutes?: number;
}

/** `PATCH /v1/admin/reservations/{id}` body: shrink or grow. */
export class ResizeReservationDto {
  @ApiProperty({ minimum: 1, maximum: MAX_RESERVATION_COUNT })
  @IsInt()
  @Min(1)
  @Max(MAX_RESERVATION_COUNT)
  count!: number;
}
