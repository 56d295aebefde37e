import { ApiProperty } from '@nestjs/swagger';

export class AllocationBucketDto {
  @ApiProperty({ description: 'Start of the UTC hour (ISO-8601)' }) start!: string;
  @ApiProperty() allocations!: number;
}

export class AllocationChartDto {
  @ApiProperty({ enum: ['24h', '7d'] }) window!: string;
  @ApiProperty({ example: 3600 }) bucket_seconds!: number;
  @ApiProperty() generated_at!: string;
  @ApiProperty({
    type: [AllocationBucketDto],
    description:
      'Exactly 24 or 168 hourly buckets, oldest first, zero-filled; the last is the current hour',
  })
  buckets!: AllocationBucketDto[];
}

export class CleanupCountsDto {
  @ApiProperty() deleted!: number;
  @ApiProperty() retried!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() quarantined!: number;
  @ApiProperty() niosxaas_cleaned!: number;
  @ApiProperty() niosxaas_skipped!: number;
  @ApiProperty() niosxaas_failed!: number;
}

export class CleanupBucketDto extends CleanupCountsDto {
  @ApiProperty({ description: 'Start of the UTC hour (ISO-8601)' }) start!: string;
}

export class CleanupChartDto {
  @ApiProperty({ enum: ['24h', '7d'] }) window!: string;
  @ApiProperty({ example: 3600 }) bucket_seconds!: number;
  @ApiProperty() generated_at!: string;
  @ApiProperty({ type: CleanupCountsDto }) totals!: CleanupCountsDto;
  @ApiProperty({ type: [CleanupBucketDto] }) buckets!: CleanupBucketDto[];
}

export class TrackAllocationDto {
  @ApiProperty() track!: string;
  @ApiProperty() allocated!: number;
}

export class TrackChartDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the worker last recounted (null before its first recount)',
  })
  as_of!: string | null;
  @ApiProperty({ type: [TrackAllocationDto] }) tracks!: TrackAllocationDto[];
}
