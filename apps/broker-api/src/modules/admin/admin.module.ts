import { type DynamicModule, Module } from '@nestjs/common';
import {
  SANDBOX_ADMIN_REPOSITORY,
  type SandboxAdminRepository,
  type SandboxLifecycleRepository,
} from '@broker/domain';
import { REPOSITORY_HANDLE, type RepositoryHandle } from '@broker/platform';
import { AdminActionsService } from './admin-actions.service';
import { AdminPoolController } from './admin-pool.controller';
import { AdminSandboxesController } from './admin-sandboxes.controller';
import { ADMIN_LIFECYCLE, ADMIN_STATS_CACHE_MS } from './admin.tokens';
import { PoolStatsService } from './pool-stats.service';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The repository handle has no ${what}`);
  return value;
}

/** /v1/admin: sandbox listing, stats, bulk delete, delete stale, repairs. */
@Module({})
export class AdminModule {
  static forRoot(options: { readonly statsCacheMs: number }): DynamicModule {
    return {
      module: AdminModule,
      controllers: [AdminSandboxesController, AdminPoolController],
      providers: [
        { provide: ADMIN_STATS_CACHE_MS, useValue: options.statsCacheMs },
        {
          provide: SANDBOX_ADMIN_REPOSITORY,
          inject: [REPOSITORY_HANDLE],
          useFactory: (handle: RepositoryHandle): SandboxAdminRepository =>
            required(handle.admin, 'admin repository'),
        },
        {
          provide: ADMIN_LIFECYCLE,
          inject: [REPOSITORY_HANDLE],
          useFactory: (handle: RepositoryHandle): SandboxLifecycleRepository =>
            required(handle.jobStorage, 'job storage').lifecycle,
        },
        PoolStatsService,
        AdminActionsService,
      ],
    };
  }
}
