import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  CLOCK,
  type Clock,
  type LeasePolicy,
  SANDBOX_STORE,
  type SandboxStore,
} from '@broker/domain';
import type { JobTrigger } from '@broker/jobs';
import { LEASE_POLICY } from '@broker/platform';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';
import { AdminJobsController } from './admin-jobs.controller';
import { JOB_TRIGGER } from './admin-jobs.tokens';
import { API_METRICS, type ApiMetrics } from '../../common/metrics/api-metrics';
import { createJobTrigger } from './job-trigger.factory';

/** On shutdown, a triggered run gets this long to finish before its in-flight work is abandoned. */
const SHUTDOWN_GRACE_MS = 10_000;

/** POST /v1/admin/sync, /v1/admin/cleanup and GET /v1/admin/jobs/runs/{id}. */
@Module({})
export class AdminJobsModule implements OnApplicationShutdown {
  constructor(@Inject(JOB_TRIGGER) private readonly trigger: JobTrigger) {}

  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AdminJobsModule,
      controllers: [AdminJobsController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: JOB_TRIGGER,
          inject: [API_CONFIG, SANDBOX_STORE, CLOCK, LEASE_POLICY, PinoLogger, API_METRICS],
          useFactory: (
            config: ApiConfig,
            store: SandboxStore,
            clock: Clock,
            lease: LeasePolicy,
            pino: PinoLogger,
            metrics: ApiMetrics,
          ): JobTrigger => {
            pino.setContext('admin-jobs');
            return createJobTrigger({
              config,
              store,
              clock,
              lease,
              registry: metrics.registry,
              logger: {
                info: (fields, message) => pino.info(fields, message),
                warn: (fields, message) => pino.warn(fields, message),
                error: (fields, message) => pino.error(fields, message),
              },
            });
          },
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.trigger.shutdown(SHUTDOWN_GRACE_MS);
  }
}
