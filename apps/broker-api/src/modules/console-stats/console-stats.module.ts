import { Module } from '@nestjs/common';
import { ConsoleStatsController } from './console-stats.controller';

/** GET /v1/admin/stats/allocations|cleanup|tracks (the console's charts; issue #14). */
@Module({ controllers: [ConsoleStatsController] })
export class ConsoleStatsModule {}
