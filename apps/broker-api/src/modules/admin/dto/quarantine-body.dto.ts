import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class QuarantineBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'account stuck at the provider' })
  @IsString()
  @Length(1, 500)
  @Matches(/^[^\x00-\x1f\x7f]+$/, { message: 'reason must not contain control characters' })
  reason!: string;
}
