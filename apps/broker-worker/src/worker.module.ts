import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import {
  type Clock,
  JOB_LEASE_REPOSITORY,
  SANDBOX_LIFECYCLE_REPOSITORY,
  SANDBOX_PROVIDER,
  type SandboxProvider,
  systemClock,
} from '@broker/domain';
import { RunTracker } from '@broker/jobs';
import { createLoggerParams, PersistenceModule, structuredLogger } from '@broker/platform';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker-config';
import { HealthController } from './health/health.controller';
import { JobScheduler } from './jobs/job-scheduler.service';
import { RunRequestPoller } from './jobs/run-request-poller.service';
import { WorkerJobs } from './jobs/worker-jobs';
import { MetricsController } from './metrics/metrics.controller';
import { WorkerMetrics } from './metrics/worker-metrics';
import type { WorkerStorage } from './storage/worker-storage';
import { WORKER_JOBS, WORKER_METRICS, WORKER_RUNS, WORKER_STORAGE } from './worker.tokens';

export interface WorkerModuleOptions {
  readonly config: WorkerConfig;
  /** Pool, lifecycle, lease and run repositories over one store (DynamoDB in production). */
  readonly storage: WorkerStorage;
  /** The provider (HttpCspClient in production). */
  readonly provider: SandboxProvider;
  readonly clock?: Clock;
  /** Fixed worker id (tests); random per process otherwise. */
  readonly workerId?: string;
  /** Where log lines go (tests capture them); stdout otherwise. */
  readonly logStream?: DestinationStream;
}

/**
 * The worker: scheduled jobs and admin-triggered run requests under DynamoDB leases, plus
 * /healthz, /readyz and /metrics. The only module in the repository that imports
 * ScheduleModule.forRoot(), and the only process that talks to the provider.
 */
@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(@Inject(WORKER_STORAGE) private readonly storage: WorkerStorage) {}

  static forRoot(options: WorkerModuleOptions): DynamicModule {
    const clock = options.clock ?? systemClock;
    const { config, storage, provider } = options;
    return {
      module: WorkerModule,
      imports: [
        ScheduleModule.forRoot(),
        TerminusModule,
        LoggerModule.forRoot(
          createLoggerParams({
            level: config.logLevel,
            service: 'broker-worker',
            quietPaths: ['/healthz', '/readyz', '/metrics'],
            pretty: config.nodeEnv === 'development',
            ...(options.logStream ? { stream: options.logStream } : {}),
            // Scrubbed from every line, should an upstream error text ever echo one.
            secrets: [
              config.csp.token,
              config.csp.niosxaas?.password,
              config.persistence.credentials?.secretAccessKey,
            ].filter((value): value is string => typeof value === 'string' && value !== ''),
          }),
        ),
        // The pool repository is the storage's; the storage is disposed by this module.
        PersistenceModule.forRoot({
          config: config.persistence,
          clock,
          createRepository: () => ({
            repository: storage.pool,
            ...(storage.events ? { eventLog: storage.events } : {}),
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: WORKER_STORAGE, useValue: storage },
        { provide: SANDBOX_PROVIDER, useValue: provider },
        { provide: SANDBOX_LIFECYCLE_REPOSITORY, useValue: storage.lifecycle },
        { provide: JOB_LEASE_REPOSITORY, useValue: storage.leases },
        { provide: WORKER_METRICS, useFactory: () => new WorkerMetrics(provider) },
        { provide: WORKER_RUNS, useFactory: () => new RunTracker() },
        {
          provide: WORKER_JOBS,
          inject: [WORKER_METRICS, PinoLogger],
          useFactory: (metrics: WorkerMetrics, pino: PinoLogger) =>
            new WorkerJobs({
              config,
              storage,
              provider,
              clock,
              lease: config.persistence.lease,
              metrics,
              logger: structuredLogger(pino, 'jobs'),
              ...(options.workerId ? { workerId: options.workerId } : {}),
            }),
        },
        JobScheduler,
        RunRequestPoller,
      ],
      exports: [WORKER_JOBS, JobScheduler, RunRequestPoller, WORKER_METRICS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.dispose?.();
  }
}
