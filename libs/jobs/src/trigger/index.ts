export * from './job-request-poller';
export * from './job-requests';
export * from './job-run-view';
