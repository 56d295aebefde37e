export * from './dynamo-activity-stats.repository';
export * from './dynamo-console-session.repository';
