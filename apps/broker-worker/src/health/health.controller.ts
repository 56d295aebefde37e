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
          // One breaker per kind of CSP call; the worker is unready while either is open.
          const breakers = {
            list: this.provider.breakerState('list'),
            delete: this.provider.breakerState('delete'),
          };
          const states = Object.values(breakers);
          const state = states.includes('open')
            ? 'open'
            : states.includes('half-open')
              ? 'half-open'
              : 'closed';
          const check = this.indicators.check('csp');
          const details = { breaker: state, breakers };
          return state === 'open' ? check.down(details) : check.up(details);
        },
      ],
      reply,
    );
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
