export * from './event-id';
export * from './in-memory-event-log';
