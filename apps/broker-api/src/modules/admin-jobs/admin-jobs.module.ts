import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '@broker/domain';
import { JobRequests } from '@broker/jobs';
import { REPOSITORY_HANDLE, type RepositoryHandle } from '@broker/platform';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';
import { API_METRICS, type ApiMetrics } from '../metrics/api-metrics';
import { AdminJobsController } from './admin-jobs.controller';
import { ADMIN_JOB_STORE, type AdminJobStore, JOB_REQUESTS } from './admin-jobs.tokens';

/**
 * POST /v1/admin/sync, /v1/admin/cleanup and GET /v1/admin/jobs/runs/{id}. The API records run
 * requests; the worker picks them up and runs them (the API holds no provider client or secret).
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
          provide: ADMIN_JOB_STORE,
          inject: [REPOSITORY_HANDLE],
          useFactory: (handle: RepositoryHandle): AdminJobStore => {
            const storage = handle.jobStorage;
            if (!storage) {
              throw new Error('The repository handle has no job storage: admin triggers need it');
            }
            return { runs: storage.runs, leases: storage.leases };
          },
        },
        {
          provide: JOB_REQUESTS,
          inject: [ADMIN_JOB_STORE, CLOCK, API_METRICS],
          useFactory: (store: AdminJobStore, clock: Clock, metrics: ApiMetrics) =>
            new JobRequests({
              runs: store.runs,
              leases: store.leases,
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
