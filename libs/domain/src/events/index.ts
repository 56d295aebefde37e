export * from './event-cursor';
export * from './event-id';
export * from './transition-event';
