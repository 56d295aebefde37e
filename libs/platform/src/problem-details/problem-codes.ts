import { STATUS_CODES } from 'node:http';
import type { DomainErrorCode } from '@broker/domain';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://sandbox-broker.dev/problems/';

/** How a domain error code is answered over HTTP. */
export interface DomainProblemMapping {
  readonly status: number;
  /** Seconds the client should wait before retrying (`Retry-After` header and `retry_after`). */
  readonly retryAfter?: number;
}

/** Every domain error code (libs/domain DOMAIN_ERROR_CODES) → HTTP; exhaustive by type. */
export const DOMAIN_PROBLEMS: Readonly<Record<DomainErrorCode, DomainProblemMapping>> = {
  NO_SANDBOXES_AVAILABLE: { status: 409, retryAfter: 30 },
  ALLOCATION_IN_PROGRESS: { status: 409, retryAfter: 1 },
  CONCURRENT_MODIFICATION: { status: 409 },
  INVALID_STATE_TRANSITION: { status: 409 },
  NOT_SANDBOX_OWNER: { status: 403 },
  SANDBOX_NOT_FOUND: { status: 404 },
  INVALID_CURSOR: { status: 400 },
  JOB_ALREADY_RUNNING: { status: 409, retryAfter: 10 },
  JOB_FAILED: { status: 502 },
  JOB_NOT_PICKED_UP: { status: 503, retryAfter: 30 },
  JOB_RUN_NOT_FOUND: { status: 404 },
  FORCE_REQUIRED: { status: 409 },
  STORE_UNAVAILABLE: { status: 503, retryAfter: 5 },
  SANDBOX_NOT_ALLOCATED: { status: 409 },
  EXTENSION_LIMIT_REACHED: { status: 409 },
  TRACK_QUOTA_EXCEEDED: { status: 409, retryAfter: 30 },
  TRACK_NOT_FOUND: { status: 404 },
  INSUFFICIENT_CAPACITY: { status: 409 },
  RESERVATION_NOT_FOUND: { status: 404 },
  RESERVATION_NOT_ACTIVE: { status: 409 },
  INVALID_RESERVATION_WINDOW: { status: 400 },
};

/** Default `code` for an HTTP status when the error did not name one. */
const STATUS_CODE_NAMES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export function codeForStatus(status: number): string {
  return STATUS_CODE_NAMES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : `HTTP_${status}`);
}

export function titleForStatus(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Stable problem type URI: `NOT_SANDBOX_OWNER` → `.../problems/not-sandbox-owner`. */
export function problemType(code: string): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

/** The RFC 9457 body every error response carries. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly request_id: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly retry_after?: number;
  /** EXTENSION_LIMIT_REACHED: the configured extension limits and the count used. */
  readonly limits?: Readonly<Record<string, number>>;
  /** TRACK_QUOTA_EXCEEDED: `{ track, max_allocated, held }`. */
  readonly quota?: Readonly<Record<string, string | number>>;
  /** INSUFFICIENT_CAPACITY: how many sandboxes are missing, and the figures behind it. */
  readonly shortfall?: number;
  readonly available?: number;
  readonly committed?: number;
  readonly requested?: number;
}

/** One invalid input: the field (body property, query parameter or header name) and why. */
export interface ProblemFieldError {
  readonly field: string;
  readonly message: string;
}
