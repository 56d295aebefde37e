import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuthModule, BearerTokenGuard } from '@broker/auth';
import type { Clock } from '@broker/domain';
import { createDynamoStore } from '@broker/dynamo-repo';
import {
  createLoggerParams,
  createValidationPipe,
  PersistenceModule,
  type PersistenceModuleOptions,
  ProblemDetailsFilter,
} from '@broker/platform';
import { OPERATIONAL_PATHS } from './common/paths';
import { QueryParametersGuard } from './common/validation/query-parameters.guard';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { apiSecrets } from './config/api-secrets';
import { AdminModule } from './modules/admin/admin.module';
import { AdminJobsModule } from './modules/admin-jobs/admin-jobs.module';
import { AllocationModule } from './modules/allocation/allocation.module';
import {
  ConsoleSessionModule,
  consoleSessionResolverProvider,
} from './modules/console-session/console-session.module';
import { ConsoleStatsModule } from './modules/console-stats/console-stats.module';
import { EventsModule } from './modules/events/events.module';
import { HealthModule } from './modules/health/health.module';
import { createApiMetrics, MetricsModule } from './modules/metrics/metrics.module';
import { RateLimitGuard } from './modules/rate-limit/rate-limit.guard';
import { RateLimitModule } from './modules/rate-limit/rate-limit.module';
import { TrackQuotasModule } from './modules/track-quotas/track-quotas.module';
import { ReservationsModule } from './modules/reservations/reservations.module';

export interface AppModuleOptions {
  /** Tests may swap the store or the clock; production uses DynamoDB and the system clock. */
  readonly createStore?: PersistenceModuleOptions['createStore'];
  readonly clock?: Clock;
  /** Log destination instead of stdout (tests capture it to check for secrets). */
  readonly logStream?: DestinationStream;
}

/**
 * The API. Filter, pipe and guard are APP_* providers so every app built from this module (main.ts
 * and e2e tests) runs the same pipeline. No ScheduleModule here: jobs run in the worker.
 */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, options: AppModuleOptions = {}): DynamicModule {
    // Shared by /metrics and the repository's contention hook.
    const metrics = createApiMetrics(config);
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          ...createLoggerParams({
            level: config.logLevel,
            service: 'broker-api',
            quietPaths: [...OPERATIONAL_PATHS],
            pretty: config.nodeEnv === 'development',
            ...(options.logStream ? { stream: options.logStream } : {}),
            secrets: apiSecrets(config),
          }),
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
        AuthModule.forRoot({
          tokens: config.auth,
          sessionResolver: consoleSessionResolverProvider(config),
        }),
        PersistenceModule.forRoot({
          config: config.persistence,
          createStore:
            options.createStore ??
            (({ config: persistence, clock }) =>
              createDynamoStore(persistence, {
                clock,
                onAllocationContention: () => metrics.allocationConflict(),
                reservationRefreshMs: config.reservations.cacheMs,
              })),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
        AllocationModule.forRoot({ lease: config.lease, extension: config.extension }),
        AdminJobsModule.forRoot(config),
        AdminModule.forRoot({
          statsCacheMs: config.adminStatsCacheMs,
          statsMaxStaleMs: config.adminStatsMaxStaleMs,
        }),
        EventsModule,
        ConsoleSessionModule.forRoot(config),
        ConsoleStatsModule,
        TrackQuotasModule,
        ReservationsModule.forRoot(config.reservations),
        HealthModule,
        MetricsModule.forRoot(config, metrics),
        RateLimitModule.forRoot(config),
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // Rate limit first, so requests with bad tokens are limited too (by client IP).
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_GUARD, useExisting: BearerTokenGuard },
        { provide: APP_GUARD, useClass: QueryParametersGuard },
      ],
    };
  }
}
