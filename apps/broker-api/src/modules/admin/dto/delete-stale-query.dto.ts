import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `POST /v1/admin/delete-stale` (and the original's `auto-delete-stale`) query. */
export class DeleteStaleQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 8760, default: 24 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(8760)
  grace_hours?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 8760, description: "The original's name" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(8760)
  grace_period_hours?: number;
}
