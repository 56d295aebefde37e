import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
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
import { RepositoryHealthIndicator } from '@broker/platform';

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

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers (no dependencies checked)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: DynamoDB answers; 503 while shutting down' })
  @ApiOkResponse({ description: 'Terminus health body' })
  @ApiServiceUnavailableResponse({ description: 'Terminus health body with the failing check' })
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () =>
          this.shuttingDown
            ? this.indicators.check('shutdown').down({ message: 'shutting down' })
            : this.indicators.check('shutdown').up(),
        () => this.repository.check('dynamodb'),
      ]);
    } catch (error) {
      // Terminus signals "down" with a 503 exception; answer its body as is, not as a problem.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  /** Readiness fails as soon as shutdown starts, so the load balancer drains this instance. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
