import { Module } from '@nestjs/common';
import { TrackQuotasController } from './track-quotas.controller';
import { TrackQuotasService } from './track-quotas.service';

/** /v1/admin/tracks/…/quota: per-track quotas over the global PersistenceModule's store. */
@Module({
  controllers: [TrackQuotasController],
  providers: [TrackQuotasService],
})
export class TrackQuotasModule {}
