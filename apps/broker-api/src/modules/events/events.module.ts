import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';

/** SANDBOX_EVENT_LOG comes from the global PersistenceModule. */
@Module({ controllers: [EventsController] })
export class EventsModule {}
