export { SANDBOX_ADMIN_REPOSITORY } from '@broker/domain';
export const ADMIN_STATS_CACHE_MS = Symbol.for('broker.api.AdminStatsCacheMs');
export const ADMIN_LIFECYCLE = Symbol.for('broker.api.AdminLifecycle');
