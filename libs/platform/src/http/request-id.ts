import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-ID';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function newRequestId(): string {
  return randomUUID();
}

/**
 * The caller's `X-Request-ID` when it is safe to echo and log (≤128 chars of [A-Za-z0-9._-]),
 * otherwise a fresh UUID.
 */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}
