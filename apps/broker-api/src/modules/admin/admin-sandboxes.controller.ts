import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@broker/auth';
import { RequestId } from '../../common/decorators/request-id.decorator';
import { SandboxIdParam } from '../../common/decorators/sandbox-id-param.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { AdminActionsService, type RepairAction } from './admin-actions.service';
import { toAdminSandbox } from './admin-sandbox.presenter';
import { AdminSandboxDto, AdminSandboxPageDto } from './dto/admin-sandbox.dto';
import { ListSandboxesQueryDto } from './dto/list-sandboxes-query.dto';
import { QuarantineBodyDto } from './dto/quarantine-body.dto';
import { SandboxSearchService } from './sandbox-search.service';
import { AdminApi } from '../../common/decorators/admin-api.decorator';

const DEFAULT_LIMIT = 50;
const idParam = ApiParam({ name: 'id', description: 'Broker sandbox id' });

/** Listing and per-sandbox repairs for operators. */
@AdminApi('Admin: sandboxes')
@Controller('admin/sandboxes')
export class AdminSandboxesController {
  constructor(
    private readonly search: SandboxSearchService,
    private readonly actions: AdminActionsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List sandboxes (filters: status, name_prefix, track, owner; search: q)',
    description:
      'Index reads only. Follow `cursor` for the next page; a cursor only works with the filters ' +
      'it was issued for. Pages may be shorter than `limit` when filters narrow an index page.',
  })
  @ApiOkResponse({ type: AdminSandboxPageDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR / INVALID_CURSOR' })
  async list(@Query() query: ListSandboxesQueryDto): Promise<AdminSandboxPageDto> {
    const page = await this.search.page({
      q: query.q,
      status: query.status,
      namePrefix: query.name_prefix,
      track: query.track,
      owner: query.owner,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
    });
    const sandboxes = page.items.map(toAdminSandbox);
    return { sandboxes, count: sandboxes.length, cursor: page.cursor };
  }

  @Post(':id/retry-deletion')
  @HttpCode(200)
  @idParam
  @ApiOperation({ summary: 'deletion_failed | quarantined → pending_deletion (attempts reset)' })
  @ApiOkResponse({ type: AdminSandboxDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'SANDBOX_NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDto, description: 'INVALID_STATE_TRANSITION' })
  retryDeletion(
    @SandboxIdParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<AdminSandboxDto> {
    return this.repair(id, 'retry-deletion', principal, requestId);
  }

  @Post(':id/quarantine')
  @HttpCode(200)
  @idParam
  @ApiOperation({
    summary:
      'available | reserved | stale | pending_deletion | deletion_failed → quarantined, with a reason',
  })
  @ApiOkResponse({ type: AdminSandboxDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'SANDBOX_NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDto, description: 'INVALID_STATE_TRANSITION' })
  quarantine(
    @SandboxIdParam() id: string,
    @Body() body: QuarantineBodyDto,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<AdminSandboxDto> {
    return this.repair(id, 'quarantine', principal, requestId, body.reason);
  }

  @Post(':id/force-release')
  @HttpCode(200)
  @idParam
  @ApiOperation({ summary: 'allocated → pending_deletion (the owner can still read it)' })
  @ApiOkResponse({ type: AdminSandboxDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'SANDBOX_NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDto, description: 'INVALID_STATE_TRANSITION' })
  forceRelease(
    @SandboxIdParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string | undefined,
  ): Promise<AdminSandboxDto> {
    return this.repair(id, 'force-release', principal, requestId);
  }

  private async repair(
    id: string,
    action: RepairAction,
    principal: Principal,
    requestId: string | undefined,
    reason?: string,
  ): Promise<AdminSandboxDto> {
    const sandbox = await this.actions.repair(
      id,
      action,
      { tokenName: principal.tokenName, requestId },
      reason,
    );
    return toAdminSandbox(sandbox);
  }
}
