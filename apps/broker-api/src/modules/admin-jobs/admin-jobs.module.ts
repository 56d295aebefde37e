import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  JOB_LEASE_REPOSITORY,
  JOB_RUN_REPOSITORY,
  type JobLeaseRepository,
  type JobRunRepository,
} from '@broker/domain';
import { JobRequests } from '@broker/jobs';
import { API_METRICS, type ApiMetrics } from '../../common/metrics/api-metrics';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';
import { AdminJobsController } from './admin-jobs.controller';
import { JOB_REQUESTS } from './admin-jobs.tokens';

/**
 * POST /v1/admin/sync, /v1/admin/cleanup and GET /v1/admin/jobs/runs/{id}. The API records run
 * requests; the worker picks them up and runs them (the API holds no provider client or secret).
 * Run records and job leases come from the global PersistenceModule (one store).
 */
@Module({})
export class AdminJobsModule implements OnApplicationShutdown {
  constructor(@Inject(JOB_REQUESTS) private readonly requests: JobRequests) {}

  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AdminJobsModule,
      controllers: [AdminJobsController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: JOB_REQUESTS,
          inject: [JOB_RUN_REPOSITORY, JOB_LEASE_REPOSITORY, CLOCK, API_METRICS],
          useFactory: (
            runs: JobRunRepository,
            leases: JobLeaseRepository,
            clock: Clock,
            metrics: ApiMetrics,
          ) =>
            new JobRequests({
              runs,
              leases,
              clock,
              leaseTtlMs: config.jobs.leaseTtlMs,
              pickupTimeoutMs: config.jobs.requestPickupTimeoutMs,
              onEvent: (event, job) => metrics.jobRequest(event, job),
            }),
        },
      ],
    };
  }

  onApplicationShutdown(): void {
    this.requests.shutdown();
  }
}
