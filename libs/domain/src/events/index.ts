export * from './event-cursor';
export * from './event-id';
export * from './in-memory-event-log';
export * from './transition-event';
