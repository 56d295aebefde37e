import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { SANDBOX_READ_REPOSITORY, type SandboxReadRepository } from '@broker/domain';
import type { ApiConfig } from '../../config/api-config';
import { API_METRICS, ApiMetrics } from '../../common/metrics/api-metrics';
import { METRICS_PATH } from '../../common/paths';
import { METRICS_AUTH, type MetricsAuth } from './metrics-token.guard';
import { MetricsController } from './metrics.controller';

/** Creates the API's metrics; AppModule shares the instance with the repository factory. */
export function createApiMetrics(config: ApiConfig): ApiMetrics {
  const logger = new Logger('ApiMetrics');
  return new ApiMetrics({
    poolCacheMs: config.metrics.poolCacheMs,
    tokenNames: [...config.auth.track, ...config.auth.admin].map((token) => token.name),
    onPoolError: (error) =>
      logger.warn({ err_message: (error as Error).message }, 'Pool count for gauges failed'),
  });
}

/**
 * GET /metrics through @willsoto/nestjs-prometheus (its default global-registry metrics are off;
 * the controller serves ApiMetrics' private registry). Global so use cases can inject API_METRICS.
 */
@Global()
@Module({})
export class MetricsModule implements OnApplicationBootstrap {
  constructor(
    @Inject(API_METRICS) private readonly metrics: ApiMetrics,
    @Inject(SANDBOX_READ_REPOSITORY)
    private readonly repository: Pick<SandboxReadRepository, 'countByStatus'>,
  ) {}

  static forRoot(config: ApiConfig, metrics: ApiMetrics = createApiMetrics(config)): DynamicModule {
    return {
      module: MetricsModule,
      imports: [
        PrometheusModule.register({
          controller: MetricsController,
          path: METRICS_PATH,
          defaultMetrics: { enabled: false },
        }),
      ],
      providers: [
        { provide: API_METRICS, useValue: metrics },
        { provide: METRICS_AUTH, useValue: { token: config.metrics.token } satisfies MetricsAuth },
      ],
      exports: [API_METRICS, METRICS_AUTH],
    };
  }

  /** Pool gauges read the repository's index counts; the first count starts now, unawaited. */
  onApplicationBootstrap(): void {
    this.metrics.attachPool(this.repository);
    void this.metrics.refreshPoolIfStale();
  }
}
