import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A triggered run as stored: `GET /v1/admin/jobs/runs/{run_id}` and the trigger answers. */
export class JobRunResponseDto {
  @ApiProperty({
    enum: [
      'accepted',
      'completed',
      'pending',
      'running',
      'succeeded',
      'failed',
      'skipped',
      'expired',
      'lost',
    ],
  })
  status!: string;

  @ApiProperty({ format: 'uuid' })
  run_id!: string;

  @ApiProperty({ enum: ['sync', 'cleanup'] })
  job!: string;

  @ApiProperty({ description: 'Admin token name that triggered the run' })
  triggered_by!: string;

  @ApiProperty({ description: 'ISO-8601; while pending, when it was requested' })
  started_at!: string;

  @ApiPropertyOptional({ description: 'ISO-8601: when the trigger recorded the run request' })
  requested_at?: string;

  @ApiPropertyOptional({
    description: 'ISO-8601 (pending and expired runs): a worker must pick it up by then',
  })
  pickup_deadline?: string;

  @ApiPropertyOptional({ description: 'ISO-8601' })
  finished_at?: string;

  @ApiPropertyOptional()
  duration_ms?: number;

  @ApiPropertyOptional({
    description:
      'Job counters, e.g. sync: listed, inserted, marked_stale; cleanup: deleted, failed',
    type: 'object',
    additionalProperties: true,
  })
  result?: Record<string, unknown>;

  @ApiPropertyOptional()
  error?: string;

  @ApiPropertyOptional({ description: 'Where to read the outcome back (202 only)' })
  location?: string;
}
