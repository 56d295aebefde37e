import { ServiceUnavailableException } from '@nestjs/common';
import type {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

/** The "shutdown" check: down once shutdown has started, so a load balancer drains the instance. */
export function shutdownCheck(
  indicators: HealthIndicatorService,
  shuttingDown: () => boolean,
): HealthIndicatorFunction {
  return () =>
    shuttingDown()
      ? indicators.check('shutdown').down({ message: 'shutting down' })
      : indicators.check('shutdown').up();
}

/**
 * Runs the readiness checks. Terminus signals "down" with a 503 exception; answer its body as is
 * (with status 503), not as a problem document.
 */
export async function answerReadiness(
  health: HealthCheckService,
  checks: HealthIndicatorFunction[],
  reply: FastifyReply,
): Promise<HealthCheckResult> {
  try {
    return await health.check(checks);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableException)) throw error;
    void reply.status(503);
    return error.getResponse() as HealthCheckResult;
  }
}
