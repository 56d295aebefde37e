export const ADMIN_STATS_CACHE_MS = Symbol.for('broker.api.AdminStatsCacheMs');
