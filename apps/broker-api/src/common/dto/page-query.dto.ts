import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * `limit` and `cursor` of every paged admin listing (sandboxes, events, reservations, quotas): the
 * listing's query DTO extends this and adds its filters. A cursor is opaque and bound to the
 * filters it was issued with (a different filter: 400 INVALID_CURSOR from the decoder).
 */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (same filters)' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}
