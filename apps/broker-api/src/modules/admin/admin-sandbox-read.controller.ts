import { Controller, Get, Header, Inject, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
} from '@nestjs/swagger';
import {
  SANDBOX_READ_REPOSITORY,
  SandboxNotFoundError,
  type SandboxReadRepository,
} from '@broker/domain';
import { AdminApi } from '../../common/decorators/admin-api.decorator';
import { SandboxIdParam } from '../../common/decorators/sandbox-id-param.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { toAdminSandbox } from './admin-sandbox.presenter';
import { AdminSandboxDto } from './dto/admin-sandbox.dto';
import { ExportSandboxesQueryDto } from './dto/export-sandboxes-query.dto';
import { EXPORT_PAGE_SIZE, sandboxCsvStream } from './sandbox-csv';
import { SandboxSearchService } from './sandbox-search.service';

/** One sandbox's admin view, and the CSV export of a filtered listing (the console's needs). */
@AdminApi('Admin: sandboxes')
@Controller('admin/sandboxes')
export class AdminSandboxReadController {
  constructor(
    @Inject(SANDBOX_READ_REPOSITORY) private readonly reads: SandboxReadRepository,
    private readonly search: SandboxSearchService,
  ) {}

  @Get('export.csv')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Every sandbox matching the filters, as CSV',
    description:
      'Same filters and `q` as the listing, no limit: the rows are read from the store one ' +
      'page at a time and streamed, a header row first. Cells a spreadsheet would run as a ' +
      "formula (starting with = + - @) are prefixed with '.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; charset=utf-8, as an attachment' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR' })
  export(@Query() query: ExportSandboxesQueryDto): StreamableFile {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const stream = sandboxCsvStream((cursor) =>
      this.search.page({
        q: query.q,
        status: query.status,
        namePrefix: query.name_prefix,
        track: query.track,
        owner: query.owner,
        limit: EXPORT_PAGE_SIZE,
        cursor,
      }),
    );
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="sandboxes-${stamp}.csv"`,
    });
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: 'Broker sandbox id' })
  @ApiOperation({ summary: "One sandbox's admin view (same shape as a listing item)" })
  @ApiOkResponse({ type: AdminSandboxDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'SANDBOX_NOT_FOUND' })
  async get(@SandboxIdParam() id: string): Promise<AdminSandboxDto> {
    const sandbox = await this.reads.get(id);
    if (sandbox === null) throw new SandboxNotFoundError(id);
    return toAdminSandbox(sandbox);
  }
}
