import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Inject,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { SANDBOX_PROVIDER, type SandboxProvider } from '@broker/domain';
import { RepositoryHealthIndicator } from '@broker/platform';

/** Liveness and readiness of the worker: DynamoDB answers and the CSP breaker is not open. */
@Controller()
export class HealthController implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly repository: RepositoryHealthIndicator,
    @Inject(SANDBOX_PROVIDER) private readonly provider: SandboxProvider,
  ) {}

  @Get('healthz')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HealthCheck()
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () =>
          this.shuttingDown
            ? this.indicators.check('shutdown').down({ message: 'shutting down' })
            : this.indicators.check('shutdown').up(),
        () => this.repository.check('dynamodb'),
        () => {
          const state = this.provider.breakerState('csp');
          const check = this.indicators.check('csp');
          return state === 'open' ? check.down({ breaker: state }) : check.up({ breaker: state });
        },
      ]);
    } catch (error) {
      // Terminus signals "down" with a 503 exception; answer its body as is.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
