export * from './migrate-original';
export * from './original-row';
export * from './backfill-external-index';
