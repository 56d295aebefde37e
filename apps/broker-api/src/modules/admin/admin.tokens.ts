export const ADMIN_STATS_CACHE_MS = Symbol.for('broker.api.AdminStatsCacheMs');
export const ADMIN_STATS_MAX_STALE_MS = Symbol.for('broker.api.AdminStatsMaxStaleMs');
