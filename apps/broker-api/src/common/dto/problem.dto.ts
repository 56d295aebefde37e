import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ProblemFieldErrorDto {
  @ApiProperty({ example: 'X-Sandbox-Name-Prefix' })
  field!: string;

  @ApiProperty({ example: 'must be at most 128 characters' })
  message!: string;
}

class ExtensionLimitsDto {
  @ApiProperty({ example: 60 })
  step_minutes!: number;

  @ApiProperty({ example: 2 })
  max_count!: number;

  @ApiProperty({ example: 72 })
  max_lease_hours!: number;

  @ApiProperty({ example: 2, description: 'Extensions this allocation already had' })
  extension_count!: number;
}

class TrackQuotaFactsDto {
  @ApiProperty({ example: 'dns-basics' })
  track!: string;

  @ApiProperty({ example: 150 })
  max_allocated!: number;

  @ApiProperty({ example: 150, description: 'Sandboxes the track holds by its counter' })
  held!: number;
}

/** RFC 9457 problem details (`application/problem+json`), the body of every error. */
export class ProblemDto {
  @ApiProperty({ example: 'https://sandbox-broker.dev/problems/no-sandboxes-available' })
  type!: string;

  @ApiProperty({ example: 'Conflict' })
  title!: string;

  @ApiProperty({ example: 409 })
  status!: number;

  @ApiProperty({ example: 'No sandboxes available in pool' })
  detail!: string;

  @ApiProperty({ example: 'NO_SANDBOXES_AVAILABLE' })
  code!: string;

  @ApiProperty({ description: 'Equals the X-Request-ID response header' })
  request_id!: string;

  @ApiPropertyOptional({ type: [ProblemFieldErrorDto] })
  errors?: ProblemFieldErrorDto[];

  @ApiPropertyOptional({ example: 30, description: 'Seconds; also sent as Retry-After' })
  retry_after?: number;

  @ApiPropertyOptional({
    type: () => ExtensionLimitsDto,
    description: 'EXTENSION_LIMIT_REACHED only',
  })
  limits?: ExtensionLimitsDto;

  @ApiPropertyOptional({
    type: () => TrackQuotaFactsDto,
    description: 'TRACK_QUOTA_EXCEEDED only',
  })
  quota?: TrackQuotaFactsDto;
}
