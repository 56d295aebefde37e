export * from './dynamo-job-lease.repository';
export * from './dynamo-lifecycle.repository';
