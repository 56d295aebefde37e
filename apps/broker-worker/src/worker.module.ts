import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import {
  type Clock,
  SANDBOX_PROVIDER,
  type SandboxProvider,
  type SandboxStore,
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
import { WORKER_JOBS, WORKER_METRICS, WORKER_RUNS } from './worker.tokens';

export interface WorkerModuleOptions {
  readonly config: WorkerConfig;
  /** The store (createDynamoStore in production); disposed by PersistenceModule at shutdown. */
  readonly store: SandboxStore;
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
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions): DynamicModule {
    const clock = options.clock ?? systemClock;
    const { config, store, provider } = options;
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
        PersistenceModule.forRoot({ config: config.persistence, clock, createStore: () => store }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: SANDBOX_PROVIDER, useValue: provider },
        { provide: WORKER_METRICS, useFactory: () => new WorkerMetrics(provider) },
        { provide: WORKER_RUNS, useFactory: () => new RunTracker() },
        {
          provide: WORKER_JOBS,
          inject: [WORKER_METRICS, PinoLogger],
          useFactory: (metrics: WorkerMetrics, pino: PinoLogger) =>
            new WorkerJobs({
              config,
              storage: store,
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
}
