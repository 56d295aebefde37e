import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule, BearerTokenGuard } from '@broker/auth';
import type { Clock } from '@broker/domain';
import {
  createLoggerParams,
  createValidationPipe,
  PersistenceModule,
  type PersistenceModuleOptions,
  ProblemDetailsFilter,
} from '@broker/platform';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { AdminJobsModule } from './modules/admin-jobs/admin-jobs.module';
import { AllocationModule } from './modules/allocation/allocation.module';
import { HealthModule } from './modules/health/health.module';
import { createDynamoRepository } from './persistence/dynamo-repository.factory';

/** Paths that are neither logged per request nor under `/v1`. */
export const OPERATIONAL_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

export interface AppModuleOptions {
  /** Tests may swap the repository or the clock; production uses DynamoDB and the system clock. */
  readonly createRepository?: PersistenceModuleOptions['createRepository'];
  readonly clock?: Clock;
}

/**
 * The API. Filter, pipe and guard are APP_* providers so every app built from this module (main.ts
 * and e2e tests) runs the same pipeline. No ScheduleModule here: jobs run in the worker.
 */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          ...createLoggerParams({
            level: config.logLevel,
            service: 'broker-api',
            quietPaths: [...OPERATIONAL_PATHS],
            pretty: config.nodeEnv === 'development',
          }),
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
        AuthModule.forRoot({ tokens: config.auth }),
        PersistenceModule.forRoot({
          config: config.persistence,
          createRepository: options.createRepository ?? createDynamoRepository,
          ...(options.clock ? { clock: options.clock } : {}),
        }),
        AllocationModule,
        AdminJobsModule.forRoot(config),
        HealthModule,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useExisting: BearerTokenGuard },
      ],
    };
  }
}
