import { PageQueryDto } from '../../../common/dto/page-query.dto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { SANDBOX_ID_PATTERN, type SandboxEventType } from '@broker/domain';

export const EVENT_TYPES: readonly SandboxEventType[] = ['transition', 'admin_action'];

/** `GET /v1/admin/events` query. Times are ISO-8601 with a zone (`2026-11-22T12:00:00Z`). */
export class ListEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "One sandbox's history", example: '2026839' })
  @IsOptional()
  @Matches(SANDBOX_ID_PATTERN, { message: 'sandbox_id must be a broker sandbox id' })
  sandbox_id?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @IsOptional()
  @IsIn(EVENT_TYPES)
  type?: SandboxEventType;

  @ApiPropertyOptional({ description: 'Inclusive lower bound, ISO-8601', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: 'from must carry a time zone (Z or ±hh:mm)' })
  from?: string;

  @ApiPropertyOptional({ description: 'Inclusive upper bound, ISO-8601', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: 'to must carry a time zone (Z or ±hh:mm)' })
  to?: string;
}
