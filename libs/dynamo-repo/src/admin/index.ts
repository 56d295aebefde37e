export * from './admin-cursor';
export * from './dynamo-sandbox-admin.repository';
