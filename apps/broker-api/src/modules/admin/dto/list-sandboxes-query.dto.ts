import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ALL_SANDBOX_STATUSES, type SandboxStatus } from '@broker/domain';

/** Printable ASCII without control characters: what ids, names and slugs may contain. */
const PRINTABLE = /^[\x21-\x7e]+$/;

/** `GET /v1/admin/sandboxes` query. */
export class ListSandboxesQueryDto {
  @ApiPropertyOptional({ enum: ALL_SANDBOX_STATUSES })
  @IsOptional()
  @IsIn(ALL_SANDBOX_STATUSES)
  status?: SandboxStatus;

  @ApiPropertyOptional({ description: 'Sandbox name prefix (an index key range)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(PRINTABLE, { message: 'name_prefix must be printable ASCII without spaces' })
  name_prefix?: string;

  @ApiPropertyOptional({ description: 'Track slug the sandbox was allocated for' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(PRINTABLE, { message: 'track must be printable ASCII without spaces' })
  track?: string;

  @ApiPropertyOptional({ description: 'Student id of the (last) owner' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(PRINTABLE, { message: 'owner must be printable ASCII without spaces' })
  owner?: string;

  @ApiPropertyOptional({
    description:
      'Search: an exact sandbox id or provider account id, else a sandbox-name prefix ' +
      '(combined with the other filters)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(PRINTABLE, { message: 'q must be printable ASCII without spaces' })
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (same filters)' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}
