import { problemMessage, parseProblem } from '../lib/problem-message';
import { ApiError } from './api-error';

// The CSRF token of the current session: in memory only (never localStorage/sessionStorage), so
// a reload asks GET /v1/admin/session for it again.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Per call: the browser's fetch has no deadline of its own. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One call to the API on the same origin with the session cookie. State-changing calls carry
 * `X-CSRF-Token`. Answers other than 2xx throw ApiError with the problem's message; 204 gives
 * undefined.
 */
export async function apiRequest<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  const text = await response.text();
  if (!response.ok) {
    const problem = parseProblem(text);
    throw new ApiError(response.status, problem, problemMessage(response.status, problem));
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
