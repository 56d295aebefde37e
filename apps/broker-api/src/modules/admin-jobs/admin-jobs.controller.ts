import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBadGatewayResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '@broker/auth';
import {
  isFinalJobRunStatus,
  JobAlreadyRunningError,
  JobFailedError,
  JobNotPickedUpError,
  JOB_RUN_REPOSITORY,
  JobRunNotFoundError,
  type JobRunRepository,
  SANDBOX_EVENT_LOG,
  type SandboxEventLog,
} from '@broker/domain';
import type { JobRequests } from '@broker/jobs';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';
import { RequestId } from '../../common/decorators/request-id.decorator';
import { ProblemDto } from '../../common/dto/problem.dto';
import { JOB_REQUESTS } from './admin-jobs.tokens';
import { JobRunResponseDto } from './dto/job-run-response.dto';
import { JobRunListDto, ListRunsQueryDto } from './dto/list-runs-query.dto';
import { TriggerQueryDto } from './dto/trigger-query.dto';

const DEFAULT_RUNS_LIMIT = 20;
import { RUNS_PATH, toJobRunResponse } from './job-run.presenter';
import { adminActionEvent } from '../../common/admin-actor';
import { AdminApi } from '../../common/decorators/admin-api.decorator';

/**
 * Operator triggers for the worker's sync and cleanup jobs. The API records a run request (at
 * most one pending per job); a worker picks it up and runs it under the job's DynamoDB lease, so
 * a trigger never runs alongside a scheduled run (409 instead). The answer waits for the outcome
 * by re-reading the run record.
 */
@AdminApi('Admin: jobs')
@Controller('admin')
export class AdminJobsController {
  constructor(
    @Inject(JOB_REQUESTS) private readonly requests: JobRequests,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(SANDBOX_EVENT_LOG) private readonly events: SandboxEventLog,
    @Inject(JOB_RUN_REPOSITORY) private readonly runs: JobRunRepository,
  ) {}

  @Post('sync')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the provider sync now',
    description:
      'Asks the worker to read every page of the provider list and update the pool. 200 with ' +
      'the counters when it finishes within ADMIN_JOB_WAIT_SEC, else 202 with a run id.',
  })
  @ApiOkResponse({ type: JobRunResponseDto })
  @ApiAcceptedResponse({ type: JobRunResponseDto, description: 'Still running: poll `location`' })
  @ApiConflictResponse({ type: ProblemDto, description: 'JOB_ALREADY_RUNNING' })
  @ApiBadGatewayResponse({ type: ProblemDto, description: 'JOB_FAILED (provider or store)' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'JOB_NOT_PICKED_UP (no worker)' })
  sync(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TriggerQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId: string | undefined,
  ): Promise<JobRunResponseDto> {
    return this.run('sync', principal, query, reply, requestId);
  }

  @Post('cleanup')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the deletion cleanup now',
    description:
      'Asks the worker to delete pending sandboxes at the provider (rate-limited, retried, ' +
      'quarantined after N attempts). Usually outlasts the request: 202 with a run id whose ' +
      'outcome is readable at `location`.',
  })
  @ApiOkResponse({ type: JobRunResponseDto })
  @ApiAcceptedResponse({ type: JobRunResponseDto, description: 'Still running: poll `location`' })
  @ApiConflictResponse({ type: ProblemDto, description: 'JOB_ALREADY_RUNNING' })
  @ApiBadGatewayResponse({ type: ProblemDto, description: 'JOB_FAILED (provider or store)' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'JOB_NOT_PICKED_UP (no worker)' })
  cleanup(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TriggerQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId: string | undefined,
  ): Promise<JobRunResponseDto> {
    return this.run('cleanup', principal, query, reply, requestId);
  }

  @Get('jobs/runs')
  @ApiOperation({
    summary: "A job's recent runs, newest first (scheduled and triggered)",
    description:
      'One index query (TypeIndex `JOBRUN#<job>`), at most `limit` runs; the same run shape ' +
      'as GET /v1/admin/jobs/runs/{runId}. Runs are kept 7 days.',
  })
  @ApiOkResponse({ type: JobRunListDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (job, limit)' })
  async listRuns(@Query() query: ListRunsQueryDto): Promise<JobRunListDto> {
    const runs = await this.runs.recent(query.job, query.limit ?? DEFAULT_RUNS_LIMIT);
    // Runs still pending or running are read as GET /jobs/runs/{id} reads them (expired, lost).
    const views = await Promise.all(
      runs.map(async (run) =>
        isFinalJobRunStatus(run.status) ? run : ((await this.requests.status(run.runId)) ?? run),
      ),
    );
    return { items: views.map((run) => toJobRunResponse(run)) };
  }

  @Get('jobs/runs/:runId')
  @ApiOperation({
    summary: 'Read a triggered run back',
    description:
      'pending (waiting for a worker), running, succeeded, failed, skipped (the job was running ' +
      'elsewhere), expired (no worker picked it up within JOB_REQUEST_PICKUP_TIMEOUT_SEC), or ' +
      'lost (still marked running but its lease lapsed: the worker that ran it died; the rows it ' +
      'touched are safe and the next run continues).',
  })
  @ApiOkResponse({ type: JobRunResponseDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'JOB_RUN_NOT_FOUND' })
  async runStatus(
    @Param('runId', new ParseUUIDPipe({ version: '4' })) runId: string,
  ): Promise<JobRunResponseDto> {
    const run = await this.requests.status(runId);
    if (!run) throw new JobRunNotFoundError(runId);
    return toJobRunResponse(run);
  }

  private async run(
    job: 'sync' | 'cleanup',
    principal: Principal,
    query: TriggerQueryDto,
    reply: FastifyReply,
    requestId: string | undefined,
  ): Promise<JobRunResponseDto> {
    const outcome = await this.requests.trigger(job, {
      triggeredBy: principal.tokenName,
      waitMs: query.wait !== undefined ? query.wait * 1000 : this.config.adminJobWaitMs,
    });
    // The trigger itself is an admin action (the job's row changes are recorded by the job).
    // Refused triggers are recorded too.
    this.events.record(
      adminActionEvent(
        { tokenName: principal.tokenName, requestId },
        `trigger_${job}`,
        outcome.kind === 'busy'
          ? { outcome: 'already_running' }
          : { outcome: outcome.kind, run_id: outcome.record.runId },
      ),
    );
    switch (outcome.kind) {
      case 'busy':
        throw new JobAlreadyRunningError(job);
      case 'accepted': {
        const location = `${RUNS_PATH}/${outcome.record.runId}`;
        void reply.status(202).header('Location', location);
        return { ...toJobRunResponse(outcome.record, 'accepted'), location };
      }
      case 'completed':
        if (outcome.record.status === 'expired') {
          throw new JobNotPickedUpError(job, outcome.record.runId);
        }
        if (outcome.record.status === 'failed') {
          throw new JobFailedError(job, outcome.record.runId, outcome.record.error ?? 'unknown');
        }
        return toJobRunResponse(outcome.record, 'completed');
    }
  }
}
