import { ApiProperty } from '@nestjs/swagger';

export class EventActorDto {
  @ApiProperty({ enum: ['student', 'admin', 'job', 'system'] })
  kind!: string;

  @ApiProperty({ description: 'Student id, admin token name or job name' })
  id!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "Name of the bearer token the request came with (a student's lab); never the token",
    example: 'dns-lab',
  })
  via!: string | null;
}

export class SandboxEventDto {
  @ApiProperty({ description: 'Time-ordered: 13-digit epoch ms, then random hex' })
  event_id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: ['transition', 'admin_action'] })
  type!: string;

  @ApiProperty({ type: String, nullable: true })
  sandbox_id!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'available' })
  from!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'allocated' })
  to!: string | null;

  @ApiProperty({ type: EventActorDto })
  actor!: EventActorDto;

  @ApiProperty({ example: 'allocate' })
  action!: string;

  @ApiProperty({ type: String, nullable: true })
  request_id!: string | null;

  @ApiProperty({ type: Object, nullable: true, example: { track: 'lab-1' } })
  details!: Record<string, string | number | boolean | null> | null;
}

export class EventsPageDto {
  @ApiProperty({ type: [SandboxEventDto] })
  events!: SandboxEventDto[];

  @ApiProperty()
  count!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Null on the last page' })
  cursor!: string | null;
}
