import { type BeforeApplicationShutdown, Controller, Get, Inject, Res } from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { SANDBOX_PROVIDER, type SandboxProvider } from '@broker/domain';
import { RepositoryHealthIndicator, answerReadiness, shutdownCheck } from '@broker/platform';

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
  readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerReadiness(
      this.health,
      [
        shutdownCheck(this.indicators, () => this.shuttingDown),
        () => this.repository.check('dynamodb'),
        () => {
          const state = this.provider.breakerState('csp');
          const check = this.indicators.check('csp');
          return state === 'open' ? check.down({ breaker: state }) : check.up({ breaker: state });
        },
      ],
      reply,
    );
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
