import { OmitType } from '@nestjs/swagger';
import { ListSandboxesQueryDto } from './list-sandboxes-query.dto';

/** `GET /v1/admin/sandboxes/export.csv` query: the listing's filters and `q`, no limit or cursor. */
export class ExportSandboxesQueryDto extends OmitType(ListSandboxesQueryDto, [
  'limit',
  'cursor',
] as const) {}
