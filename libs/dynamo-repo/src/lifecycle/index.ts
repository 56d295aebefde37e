export * from './dynamo-job-lease.repository';
export * from './dynamo-lifecycle.repository';
export * from './dynamo-job-run.repository';
