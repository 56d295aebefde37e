import { type DynamicModule, Module } from '@nestjs/common';
import type { ReservationSettings } from '../../config/api-config';
import { CapacityController } from './capacity.controller';
import { ReservationsController } from './reservations.controller';
import { ReservationsService } from './reservations.service';
import { RESERVATION_SETTINGS } from './reservations.tokens';

/** /v1/admin/reservations and /v1/admin/capacity; the ports come from the PersistenceModule. */
@Module({})
export class ReservationsModule {
  static forRoot(settings: ReservationSettings): DynamicModule {
    return {
      module: ReservationsModule,
      controllers: [ReservationsController, CapacityController],
      providers: [{ provide: RESERVATION_SETTINGS, useValue: settings }, ReservationsService],
    };
  }
}
