import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `POST /v1/admin/sync|cleanup` query. */
export class TriggerQueryDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 50,
    description:
      'Seconds to wait for the run before answering 202 with a run id (default ADMIN_JOB_WAIT_SEC; ' +
      '0 = always answer 202 at once)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(50)
  wait?: number;
}
