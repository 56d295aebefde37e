import type { PermanentFailure, RetryableFailure } from '../csp-client';
import { isRetryableStatus, type CallResult } from '../resilience/upstream';
import { describeHttpFailure } from './error-reason';
import { parseRetryAfter } from './retry-after';

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The failure a call result stands for, or undefined for a 2xx answer. `what` prefixes the
 * reason (e.g. "CSP delete") so logs say which call failed.
 */
export function failureOf(
  what: string,
  result: CallResult,
): RetryableFailure | PermanentFailure | undefined {
  switch (result.kind) {
    case 'open':
      return {
        kind: 'retryable',
        retryAfterMs: result.retryAfterMs,
        reason: `${what}: circuit breaker open, retry in ${Math.ceil(result.retryAfterMs / 1000)} s`,
      };
    case 'transport':
      return { kind: 'retryable', reason: `${what}: ${result.error.message}` };
    case 'response': {
      const { status, headers, body } = result.response;
      if (isSuccess(status)) return undefined;
      const reason = `${what}: ${describeHttpFailure(status, headers.get('content-type'), body)}`;
      if (!isRetryableStatus(status)) return { kind: 'permanent', reason, status };
      const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
      return {
        kind: 'retryable',
        reason,
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    }
  }
}

export function permanent(reason: string): PermanentFailure {
  return { kind: 'permanent', reason };
}
