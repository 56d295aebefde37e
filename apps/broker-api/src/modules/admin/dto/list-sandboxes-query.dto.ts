import { PageQueryDto } from '../../../common/dto/page-query.dto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ALL_SANDBOX_STATUSES, type SandboxStatus } from '@broker/domain';

/** Printable ASCII without control characters: what ids, names and slugs may contain. */
const PRINTABLE = /^[\x21-\x7e]+$/;

/** `GET /v1/admin/sandboxes` query. */
export class ListSandboxesQueryDto extends PageQueryDto {
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
}
