export * from './builders';
export * from './fake-sandbox-provider';
export * from './fixed-clock';
export * from './in-memory-job-lease.repository';
export * from './in-memory-lifecycle.repository';
export * from './in-memory-sandbox.repository';
export * from './in-memory-job-run.repository';
