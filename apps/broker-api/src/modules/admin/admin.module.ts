import { type DynamicModule, Module } from '@nestjs/common';
import { AdminActionsService } from './admin-actions.service';
import { AdminSandboxReadController } from './admin-sandbox-read.controller';
import { SandboxSearchService } from './sandbox-search.service';
import { AdminPoolController } from './admin-pool.controller';
import { AdminSandboxesController } from './admin-sandboxes.controller';
import { ADMIN_STATS_CACHE_MS, ADMIN_STATS_MAX_STALE_MS } from './admin.tokens';
import { PoolStatsService } from './pool-stats.service';

/**
 * /v1/admin: sandbox listing, stats, bulk delete, delete stale, repairs. The admin, lifecycle
 * and read repositories come from the global PersistenceModule (one store).
 */
@Module({})
export class AdminModule {
  static forRoot(options: {
    readonly statsCacheMs: number;
    readonly statsMaxStaleMs?: number;
  }): DynamicModule {
    return {
      module: AdminModule,
      controllers: [AdminSandboxReadController, AdminSandboxesController, AdminPoolController],
      providers: [
        { provide: ADMIN_STATS_CACHE_MS, useValue: options.statsCacheMs },
        { provide: ADMIN_STATS_MAX_STALE_MS, useValue: options.statsMaxStaleMs ?? 0 },
        PoolStatsService,
        AdminActionsService,
        SandboxSearchService,
      ],
    };
  }
}
