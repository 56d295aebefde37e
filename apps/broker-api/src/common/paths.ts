/** Liveness, readiness and the Prometheus scrape: outside `/v1` and not logged per request. */
export const LIVENESS_PATH = '/healthz';
export const READINESS_PATH = '/readyz';
export const METRICS_PATH = '/metrics';

/** Paths that are neither logged per request nor under `/v1` (nor rate limited). */
export const OPERATIONAL_PATHS = [LIVENESS_PATH, READINESS_PATH, METRICS_PATH] as const;

/** Global prefix of every other route. */
export const API_PREFIX = 'v1';
export const DOCS_PATH = `/${API_PREFIX}/docs`;
export const OPENAPI_PATH = `/${API_PREFIX}/openapi.json`;

/** The allocation route template (POST), which the per-token allocation limit counts. */
export const ALLOCATE_ROUTE = `/${API_PREFIX}/allocate`;
