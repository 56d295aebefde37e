import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AllocationRequest } from '@broker/domain';
import { CurrentPrincipal, type Principal, Roles } from '@broker/auth';
import { RequestId } from '../../common/decorators/request-id.decorator';
import { SandboxIdParam } from '../../common/decorators/sandbox-id-param.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { AllocationHeaders, assertTrackAllowed, HEADERS, StudentId } from './allocation-headers';
import { ExtendResponseDto } from './dto/extend-response.dto';
import { ReleaseResponseDto } from './dto/release-response.dto';
import { SandboxResponseDto } from './dto/sandbox-response.dto';
import { toExtendResponse, toReleaseResponse, toSandboxResponse } from './sandbox.presenter';
import { AllocateSandboxUseCase } from './use-cases/allocate-sandbox.use-case';
import { ExtendSandboxUseCase } from './use-cases/extend-sandbox.use-case';
import { GetSandboxUseCase } from './use-cases/get-sandbox.use-case';
import { ReleaseSandboxUseCase } from './use-cases/release-sandbox.use-case';
import { ResolveSandboxRefUseCase } from './use-cases/resolve-sandbox-ref.use-case';

const studentHeader = ApiHeader({
  name: HEADERS.studentId,
  required: true,
  description: `Student id (Instruqt participant id). Legacy fallback: ${HEADERS.legacyStudentId}`,
});

const SANDBOX_REF_PARAM = {
  name: 'id',
  description:
    'Broker sandbox id, or (for lab scripts of the original broker) the provider account id: ' +
    '`<uuid>` or `identity/accounts/<uuid>` with the slashes URL-encoded (`%2F`)',
  example: '2026839',
};

/** The lab-script API: allocate at lab start, read, release at lab stop. Track token only. */
@ApiTags('Sandboxes')
@ApiBearerAuth('track')
@ApiUnauthorizedResponse({ type: ProblemDto, description: 'Missing or invalid bearer token' })
@ApiForbiddenResponse({ type: ProblemDto, description: 'Not a track token, or not the owner' })
@Roles('track')
@Controller()
export class AllocationController {
  constructor(
    private readonly allocateSandbox: AllocateSandboxUseCase,
    private readonly getSandbox: GetSandboxUseCase,
    private readonly releaseSandbox: ReleaseSandboxUseCase,
    private readonly resolveRef: ResolveSandboxRefUseCase,
    private readonly extendSandbox: ExtendSandboxUseCase,
  ) {}

  @Post('allocate')
  @ApiOperation({
    summary: 'Allocate a sandbox to the student (or return the one they already hold)',
    description:
      'The request body is ignored. 201 for a new allocation, 200 when the same student (and ' +
      'idempotency key) repeats the call. 409 only when no sandbox matching the prefix is left.',
  })
  @studentHeader
  @ApiHeader({ name: HEADERS.trackName, required: false, description: 'Instruqt track slug' })
  @ApiHeader({ name: HEADERS.namePrefix, required: false, description: 'Sandbox name prefix' })
  @ApiHeader({
    name: HEADERS.idempotencyKey,
    required: false,
    description: 'Defaults to the student id',
  })
  @ApiCreatedResponse({ type: SandboxResponseDto, description: 'New allocation' })
  @ApiOkResponse({
    type: SandboxResponseDto,
    description: 'The allocation the student already has',
  })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'MISSING_SANDBOX_ID / VALIDATION_ERROR' })
  @ApiConflictResponse({
    type: ProblemDto,
    description:
      'NO_SANDBOXES_AVAILABLE (Retry-After), or TRACK_QUOTA_EXCEEDED (Retry-After; body `quota`: ' +
      'track, max_allocated, held) when the track holds as many sandboxes as its quota allows',
  })
  @ApiForbiddenResponse({
    type: ProblemDto,
    description: 'TRACK_NOT_ALLOWED: the token is bound to other track slugs',
  })
  async allocate(
    @AllocationHeaders() request: AllocationRequest,
    @RequestId() requestId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SandboxResponseDto> {
    assertTrackAllowed(principal, request.trackName);
    const result = await this.allocateSandbox.execute(request, requestId, principal.tokenName);
    void reply.status(result.created ? 201 : 200);
    return toSandboxResponse(result.sandbox);
  }

  @Get('sandboxes/:id')
  @ApiOperation({ summary: "The owner's view of a sandbox (also after release)" })
  @ApiParam(SANDBOX_REF_PARAM)
  @studentHeader
  @ApiOkResponse({ type: SandboxResponseDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'SANDBOX_NOT_FOUND' })
  async get(
    @SandboxIdParam() ref: string,
    @StudentId() studentId: string,
  ): Promise<SandboxResponseDto> {
    const sandboxId = await this.resolveRef.execute(ref);
    return toSandboxResponse(await this.getSandbox.execute(sandboxId, studentId));
  }

  @Post('sandboxes/:id/mark-for-deletion')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Release the sandbox for deletion (owner only; repeating it is harmless)',
  })
  @ApiParam(SANDBOX_REF_PARAM)
  @studentHeader
  @ApiOkResponse({ type: ReleaseResponseDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'SANDBOX_NOT_FOUND' })
  async release(
    @SandboxIdParam() ref: string,
    @StudentId() studentId: string,
    @RequestId() requestId: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReleaseResponseDto> {
    const sandboxId = await this.resolveRef.execute(ref);
    return toReleaseResponse(
      await this.releaseSandbox.execute(sandboxId, studentId, requestId, principal.tokenName),
    );
  }

  @Post('sandboxes/:id/extend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend the lease by one step (owner only, allocated sandboxes only)',
    description:
      'Adds EXTENSION_STEP_MINUTES to expires_at, at most EXTENSION_MAX_COUNT times per ' +
      'allocation and never past allocated_at + EXTENSION_MAX_LEASE_HOURS (the last step is cut ' +
      'there). Not idempotent: every 200 is one more step. The request body is ignored.',
  })
  @ApiParam(SANDBOX_REF_PARAM)
  @studentHeader
  @ApiOkResponse({ type: ExtendResponseDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'SANDBOX_NOT_FOUND' })
  @ApiConflictResponse({
    type: ProblemDto,
    description:
      'EXTENSION_LIMIT_REACHED (body `limits`: step_minutes, max_count, max_lease_hours, ' +
      'extension_count) / SANDBOX_NOT_ALLOCATED (released, expired or deleted)',
  })
  async extend(
    @SandboxIdParam() ref: string,
    @StudentId() studentId: string,
    @RequestId() requestId: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ExtendResponseDto> {
    const sandboxId = await this.resolveRef.execute(ref);
    const sandbox = await this.extendSandbox.execute(
      sandboxId,
      studentId,
      requestId,
      principal.tokenName,
    );
    return toExtendResponse(sandbox, this.extendSandbox.maxCount);
  }
}
