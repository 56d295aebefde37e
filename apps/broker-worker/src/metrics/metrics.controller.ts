import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { WORKER_METRICS } from '../worker.tokens';
import type { WorkerMetrics } from './worker-metrics';

/** Prometheus text exposition of the worker's private registry. */
@Controller()
export class MetricsController {
  constructor(@Inject(WORKER_METRICS) private readonly metrics: WorkerMetrics) {}

  @Get('metrics')
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.contentType);
    return this.metrics.metrics();
  }
}
