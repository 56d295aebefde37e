import { ApiProperty } from '@nestjs/swagger';

/** A track's quota as operators see it. */
export class TrackQuotaDto {
  @ApiProperty({ example: 'dns-basics', description: 'Instruqt track slug' })
  track!: string;

  @ApiProperty({ example: 150, description: 'The most sandboxes the track may hold at once' })
  max_allocated!: number;

  @ApiProperty({
    example: 42,
    description:
      'Sandboxes the track holds by its counter (allocations minus releases); the quota-repair ' +
      'job resets it to the true count after a crash between the counter and the sandbox write',
  })
  held!: number;

  @ApiProperty({ example: '2026-11-22T12:00:00.000Z', format: 'date-time' })
  updated_at!: string;
}

export class TrackQuotaPageDto {
  @ApiProperty({ type: [TrackQuotaDto] }) quotas!: TrackQuotaDto[];
  @ApiProperty() count!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Null on the last page' })
  cursor!: string | null;
}
