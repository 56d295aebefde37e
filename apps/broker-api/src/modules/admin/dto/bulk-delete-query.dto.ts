import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ALL_SANDBOX_STATUSES, SandboxStatus } from '@broker/domain';

/** Every status but the tombstone can be bulk-changed. */
export const BULK_STATUSES = ALL_SANDBOX_STATUSES.filter((s) => s !== SandboxStatus.Deleted);

/** `POST /v1/admin/bulk-delete` query. */
export class BulkDeleteQueryDto {
  @ApiProperty({ enum: BULK_STATUSES, description: 'Required: which rows to delete' })
  @IsIn(BULK_STATUSES, { message: `status must be one of: ${BULK_STATUSES.join(', ')}` })
  status!: SandboxStatus;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Required for allocated, pending_deletion and deleting rows',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}
