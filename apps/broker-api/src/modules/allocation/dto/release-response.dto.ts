import { ApiProperty } from '@nestjs/swagger';

export class ReleaseResponseDto {
  @ApiProperty({ example: '2026839' })
  sandbox_id!: string;

  @ApiProperty({
    example: 'pending_deletion',
    description: 'pending_deletion right after release; later deleting/deleted once cleanup runs',
  })
  status!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Unix seconds', example: 1763816400 })
  deletion_requested_at!: number | null;
}
