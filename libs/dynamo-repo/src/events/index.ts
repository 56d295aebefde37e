export * from './dynamo-sandbox-event-log';
export * from './event-item';
