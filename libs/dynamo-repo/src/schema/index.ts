export * from './create-table-input';
export * from './table-schema';
