import { ApiProperty } from '@nestjs/swagger';

export class ExtendResponseDto {
  @ApiProperty({ example: '2026839' })
  sandbox_id!: string;

  @ApiProperty({ example: 'allocated' })
  status!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Unix seconds', example: 1763812800 })
  allocated_at!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Unix seconds; the new end of the lease',
    example: 1763989200,
  })
  expires_at!: number | null;

  @ApiProperty({ description: 'Extensions this allocation has had, this one included', example: 1 })
  extension_count!: number;

  @ApiProperty({
    description:
      'Extensions still allowed by EXTENSION_MAX_COUNT (the lease cap may end them earlier)',
    example: 1,
  })
  extensions_left!: number;
}
