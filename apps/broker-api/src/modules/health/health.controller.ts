import { type BeforeApplicationShutdown, Controller, Get, Res } from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@broker/auth';
import { RepositoryHealthIndicator, answerReadiness, shutdownCheck } from '@broker/platform';
import { LIVENESS_PATH, READINESS_PATH } from '../../common/paths';

/** Liveness and readiness, outside `/v1`, without auth. */
@ApiTags('Observability')
@Public()
@Controller()
export class HealthController implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly repository: RepositoryHealthIndicator,
  ) {}

  @Get(LIVENESS_PATH)
  @ApiOperation({ summary: 'Liveness: the process answers (no dependencies checked)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(READINESS_PATH)
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: DynamoDB answers; 503 while shutting down' })
  @ApiOkResponse({ description: 'Terminus health body' })
  @ApiServiceUnavailableResponse({ description: 'Terminus health body with the failing check' })
  readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerReadiness(
      this.health,
      [
        shutdownCheck(this.indicators, () => this.shuttingDown),
        () => this.repository.check('dynamodb'),
      ],
      reply,
    );
  }

  /** Readiness fails as soon as shutdown starts, so the load balancer drains this instance. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
