export * from './migrate-original';
export * from './original-row';
