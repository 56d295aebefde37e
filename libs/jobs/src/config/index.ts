export * from './jobs-config';
export * from './jobs-env';
