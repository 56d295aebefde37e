import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { TRIGGERABLE_JOBS, type TriggerableJob } from '@broker/jobs';
import { JobRunResponseDto } from './job-run-response.dto';

/** `GET /v1/admin/jobs/runs` query. */
export class ListRunsQueryDto {
  @ApiProperty({ enum: TRIGGERABLE_JOBS })
  @IsIn(TRIGGERABLE_JOBS)
  job!: TriggerableJob;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

export class JobRunListDto {
  @ApiProperty({ type: [JobRunResponseDto], description: 'Newest first' })
  items!: JobRunResponseDto[];
}
