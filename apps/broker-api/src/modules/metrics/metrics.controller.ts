import { Controller, Get, Header, Inject, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { Public } from '@broker/auth';
import { API_METRICS, type ApiMetrics } from '../../common/metrics/api-metrics';
import { MetricsTokenGuard } from './metrics-token.guard';

/**
 * GET /metrics (path set by PrometheusModule.register). Serves the app's private registry rather
 * than prom-client's global one, so several apps in one process (tests) never collide. Open
 * unless METRICS_TOKEN is set; not rate limited.
 */
@ApiTags('Observability')
@Public()
@UseGuards(MetricsTokenGuard)
@Controller()
export class MetricsController extends PrometheusController {
  constructor(@Inject(API_METRICS) private readonly metrics: ApiMetrics) {
    super();
  }

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (Bearer METRICS_TOKEN when configured)' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and was not sent' })
  override index(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.contentType);
    return this.metrics.scrape();
  }
}
