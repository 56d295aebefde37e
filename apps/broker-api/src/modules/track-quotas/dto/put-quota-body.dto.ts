import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_TRACK_QUOTA } from '@broker/domain';

/** `PUT /v1/admin/tracks/{track}/quota` body. */
export class PutQuotaBodyDto {
  @ApiProperty({
    minimum: 0,
    maximum: MAX_TRACK_QUOTA,
    example: 150,
    description: 'The most sandboxes the track may hold at once; 0 closes the track',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_TRACK_QUOTA)
  max_allocated!: number;
}
