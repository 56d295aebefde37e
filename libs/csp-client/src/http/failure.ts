import type { PermanentFailure, RetryableFailure } from '../csp-client';
import { isRetryableStatus, type CallResult } from '../resilience/upstream';
import { describeHttpFailure } from './error-reason';
import { isProviderAnswer } from './provider-answer';
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
        ...(result.sent === 0 ? { notSent: true } : {}),
      };
    case 'refused':
      return {
        kind: 'retryable',
        reason: `${what}: not sent (the caller's rate gate refused: shutting down)`,
        ...(result.sent === 0 ? { notSent: true } : {}),
      };
    case 'transport':
      return { kind: 'retryable', reason: `${what}: ${result.error.message}` };
    case 'response': {
      const { status, headers, body } = result.response;
      const described = describeHttpFailure(status, headers.get('content-type'), body);
      if (!isProviderAnswer(result.response)) {
        // Not the provider's answer (proxy page, wrong content type): proves nothing either way.
        const type = headers.get('content-type') ?? 'no content type';
        const reason = isSuccess(status)
          ? `${what}: answer is not the provider's (HTTP ${status}, ${type}): ${described}`
          : `${what}: ${described}`;
        return { kind: 'retryable', reason, status };
      }
      if (isSuccess(status)) return undefined;
      const reason = `${what}: ${described}`;
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
