export * from './job-metrics';
