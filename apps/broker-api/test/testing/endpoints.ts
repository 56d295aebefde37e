import { ADMIN_TOKEN, TRACK_TOKEN } from './api-test-app';

/**
 * Every endpoint of the API as a descriptor, for table-driven tests (bad-input corpus). Adding an
 * endpoint is one entry in ENDPOINTS.
 */

export const METRICS_TOKEN = 'e2e-metrics-token-0001';

export type Auth = 'track' | 'admin' | 'metrics' | 'public';

export interface Endpoint {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Other methods the same path serves (left out of the wrong-method cases). */
  readonly sameRoute?: readonly string[];
  /** A well-formed path (ids need not exist). */
  readonly path: string;
  readonly auth: Auth;
  /** Reads the student id header. */
  readonly student?: boolean;
  /** Reads the optional allocation headers (prefix, idempotency key, track slug). */
  readonly allocationHeaders?: boolean;
  /** Builds the path around another id, for path-id validation. */
  readonly withId?: (id: string) => string;
  /** Takes `limit` and `cursor` query parameters. */
  readonly paged?: boolean;
  /** The filter string of a cursor issued without filters (to forge well-formed cursors). */
  readonly cursorFilter?: string;
  /**
   * JSON bodies the endpoint refuses and changes nothing: status (default 400) and code (default
   * VALIDATION_ERROR); `field`, when given, must be named in the problem's `errors`.
   */
  readonly badBodies?: readonly BadBody[];
  /** `<path>/<segment>` is another route (an id): an unknown sub-path is refused 401 there. */
  readonly idRoutesBelow?: boolean;
}

export interface BadBody {
  readonly label: string;
  readonly body: unknown;
  readonly status?: number;
  readonly code?: string;
  readonly field?: string;
}

/** `PUT …/quota` bodies out of range or of the wrong shape. */
const BAD_QUOTA_BODIES: readonly BadBody[] = [
  { label: 'negative quota', body: { max_allocated: -1 }, field: 'max_allocated' },
  { label: 'fractional quota', body: { max_allocated: 2.5 }, field: 'max_allocated' },
  { label: 'huge quota', body: { max_allocated: 1e12 }, field: 'max_allocated' },
  { label: 'quota as a string', body: { max_allocated: '5' }, field: 'max_allocated' },
  { label: 'quota null', body: { max_allocated: null }, field: 'max_allocated' },
  { label: 'quota missing', body: {}, field: 'max_allocated' },
  { label: 'unknown body member', body: { max_allocated: 1, limit: 2 }, field: 'limit' },
];

const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;
/** A valid booking, to vary one field at a time. */
const BOOKING = {
  track: 'bad-input-class',
  count: 2,
  starts_at: NOW + HOUR,
  ends_at: NOW + 3 * HOUR,
};

export const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'allocate',
    method: 'POST',
    path: '/v1/allocate',
    auth: 'track',
    student: true,
    allocationHeaders: true,
  },
  {
    name: 'get sandbox',
    method: 'GET',
    path: '/v1/sandboxes/4711',
    auth: 'track',
    student: true,
    withId: (id) => `/v1/sandboxes/${id}`,
  },
  {
    name: 'mark for deletion',
    method: 'POST',
    path: '/v1/sandboxes/4711/mark-for-deletion',
    auth: 'track',
    student: true,
    withId: (id) => `/v1/sandboxes/${id}/mark-for-deletion`,
  },
  {
    name: 'extend',
    method: 'POST',
    path: '/v1/sandboxes/4711/extend',
    auth: 'track',
    student: true,
    withId: (id) => `/v1/sandboxes/${id}/extend`,
  },
  { name: 'admin sync', method: 'POST', path: '/v1/admin/sync', auth: 'admin' },
  { name: 'admin cleanup', method: 'POST', path: '/v1/admin/cleanup', auth: 'admin' },
  {
    name: 'admin job run',
    method: 'GET',
    path: '/v1/admin/jobs/runs/00000000-0000-4000-8000-000000000000',
    auth: 'admin',
    withId: (id) => `/v1/admin/jobs/runs/${id}`,
  },
  {
    name: 'admin events',
    method: 'GET',
    path: '/v1/admin/events',
    auth: 'admin',
    paged: true,
    cursorFilter: JSON.stringify([null, null, null, null]),
  },
  {
    name: 'admin sandboxes',
    method: 'GET',
    path: '/v1/admin/sandboxes',
    auth: 'admin',
    paged: true,
    cursorFilter: 'status|*|',
  },
  { name: 'admin stats', method: 'GET', path: '/v1/admin/stats', auth: 'admin' },
  // The console's reads (issue #14).
  {
    name: 'admin sandbox',
    method: 'GET',
    path: '/v1/admin/sandboxes/4711',
    auth: 'admin',
    withId: (id) => `/v1/admin/sandboxes/${id}`,
  },
  {
    name: 'admin sandboxes export',
    method: 'GET',
    path: '/v1/admin/sandboxes/export.csv',
    auth: 'admin',
  },
  {
    name: 'admin allocation chart',
    method: 'GET',
    path: '/v1/admin/stats/allocations',
    auth: 'admin',
  },
  { name: 'admin cleanup chart', method: 'GET', path: '/v1/admin/stats/cleanup', auth: 'admin' },
  { name: 'admin tracks chart', method: 'GET', path: '/v1/admin/stats/tracks', auth: 'admin' },
  { name: 'admin job runs', method: 'GET', path: '/v1/admin/jobs/runs', auth: 'admin' },
  { name: 'admin bulk delete', method: 'POST', path: '/v1/admin/bulk-delete', auth: 'admin' },
  { name: 'admin delete stale', method: 'POST', path: '/v1/admin/delete-stale', auth: 'admin' },
  ...(['retry-deletion', 'quarantine', 'force-release'] as const).map((action): Endpoint => ({
    name: `admin ${action}`,
    method: 'POST',
    path: `/v1/admin/sandboxes/4711/${action}`,
    auth: 'admin',
    withId: (id) => `/v1/admin/sandboxes/${id}/${action}`,
  })),
  {
    name: 'admin track quotas',
    method: 'GET',
    path: '/v1/admin/tracks/quotas',
    auth: 'admin',
    paged: true,
    cursorFilter: 'track-quotas',
  },
  ...(['PUT', 'GET', 'DELETE'] as const).map((method): Endpoint => ({
    name: `admin track quota ${method}`,
    method,
    path: '/v1/admin/tracks/dns-lab/quota',
    auth: 'admin',
    sameRoute: ['PUT', 'GET', 'DELETE'].filter((m) => m !== method),
    withId: (track) => `/v1/admin/tracks/${track}/quota`,
    ...(method === 'PUT' ? { badBodies: BAD_QUOTA_BODIES } : {}),
  })),
  {
    name: 'admin create reservation',
    method: 'POST',
    path: '/v1/admin/reservations',
    auth: 'admin',
    sameRoute: ['GET'],
    badBodies: [
      {
        label: 'body: ends before it starts',
        body: { ...BOOKING, ends_at: NOW },
        code: 'INVALID_RESERVATION_WINDOW',
      },
      {
        label: 'body: ends as it starts',
        body: { ...BOOKING, ends_at: BOOKING.starts_at },
        code: 'INVALID_RESERVATION_WINDOW',
      },
      {
        label: 'body: wholly in the past',
        body: { ...BOOKING, starts_at: NOW - 3 * HOUR, ends_at: NOW - HOUR },
        code: 'INVALID_RESERVATION_WINDOW',
      },
      { label: 'body: count 0', body: { ...BOOKING, count: 0 } },
      { label: 'body: count negative', body: { ...BOOKING, count: -3 } },
      { label: 'body: count fractional', body: { ...BOOKING, count: 1.5 } },
      { label: 'body: count as a string', body: { ...BOOKING, count: '5' } },
      {
        label: 'body: starts_at as a numeric string',
        body: { ...BOOKING, starts_at: String(NOW + HOUR) },
      },
      { label: 'body: count huge', body: { ...BOOKING, count: 1e9 } },
      { label: 'body: no track', body: { ...BOOKING, track: undefined } },
      { label: 'body: track with a space', body: { ...BOOKING, track: 'a b' } },
      { label: 'body: starts_at a date string', body: { ...BOOKING, starts_at: 'tomorrow' } },
      {
        label: 'body: negative release delay',
        body: { ...BOOKING, release_unclaimed_after_minutes: -1 },
      },
      { label: 'body: unknown field', body: { ...BOOKING, colour: 'blue' } },
      {
        label: 'body: more than the stock',
        body: { ...BOOKING, count: 10_000 },
        status: 409,
        code: 'INSUFFICIENT_CAPACITY',
      },
    ],
  },
  {
    name: 'admin reservations',
    method: 'GET',
    path: '/v1/admin/reservations',
    auth: 'admin',
    paged: true,
    cursorFilter: 'reservations||',
    sameRoute: ['POST'],
    idRoutesBelow: true,
  },
  {
    name: 'admin reservation',
    method: 'GET',
    path: '/v1/admin/reservations/00000000-0000-4000-8000-000000000000',
    auth: 'admin',
    withId: (id) => `/v1/admin/reservations/${id}`,
    sameRoute: ['PATCH', 'DELETE'],
  },
  {
    name: 'admin cancel reservation',
    method: 'POST',
    path: '/v1/admin/reservations/00000000-0000-4000-8000-000000000000/cancel',
    auth: 'admin',
    withId: (id) => `/v1/admin/reservations/${id}/cancel`,
  },
  { name: 'admin capacity', method: 'GET', path: '/v1/admin/capacity', auth: 'admin' },
  { name: 'metrics', method: 'GET', path: '/metrics', auth: 'metrics' },
  { name: 'liveness', method: 'GET', path: '/healthz', auth: 'public' },
  { name: 'readiness', method: 'GET', path: '/readyz', auth: 'public' },
  { name: 'swagger ui', method: 'GET', path: '/v1/docs', auth: 'public' },
  { name: 'openapi', method: 'GET', path: '/v1/openapi.json', auth: 'public' },
];

export const TOKEN_OF: Record<Exclude<Auth, 'public'>, string> = {
  track: TRACK_TOKEN,
  admin: ADMIN_TOKEN,
  metrics: METRICS_TOKEN,
};

export function authorised(endpoint: Endpoint): Record<string, string> {
  return endpoint.auth === 'public' ? {} : { Authorization: `Bearer ${TOKEN_OF[endpoint.auth]}` };
}

export function validHeaders(endpoint: Endpoint): Record<string, string> {
  return {
    ...authorised(endpoint),
    ...(endpoint.student ? { 'X-Instruqt-Sandbox-ID': 'bad-input-student' } : {}),
  };
}
