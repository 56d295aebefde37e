const RETRYABLE_CODES = new Set(['ALLOCATION_IN_PROGRESS', 'CONCURRENT_MODIFICATION']);

/** How a call failed: the broker answered with an error, or no answer came back at all. */
export type ProblemKind = 'http' | 'timeout' | 'network';

/** Parsed `Retry-After`: delta-seconds or an HTTP date, as seconds from now (null when absent or bad). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Every failed call surfaces as one typed error. For `kind: 'http'` the fields come from the
 * broker's RFC 9457 problem+json body (`code`, `status`, `request_id`, `retry_after`); for a
 * timeout or a network error `status` is 0 and `code` is `TIMEOUT` / `NETWORK_ERROR`.
 */
export class BrokerProblem extends Error {
  override readonly name = 'BrokerProblem';

  constructor(
    readonly kind: ProblemKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    /** Seconds the broker asked us to wait (`Retry-After` header, else the body's `retry_after`). */
    readonly retryAfterSec: number | null = null,
    readonly errors: readonly { field: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * 429, 5xx, timeouts, network errors and the broker's "try again" conflicts
   * (`ALLOCATION_IN_PROGRESS`, `CONCURRENT_MODIFICATION`): worth another attempt of an idempotent call.
   */
  get transient(): boolean {
    return (
      this.kind !== 'http' ||
      this.status === 429 ||
      this.status >= 500 ||
      RETRYABLE_CODES.has(this.code)
    );
  }

  static fromResponse(response: Response, body: unknown): BrokerProblem {
    const problem = isRecord(body) ? body : {};
    const text = (key: string) => (typeof problem[key] === 'string' ? problem[key] : null);
    const headerRetry = parseRetryAfter(response.headers.get('retry-after'));
    const bodyRetry = typeof problem['retry_after'] === 'number' ? problem['retry_after'] : null;
    const errors = Array.isArray(problem['errors'])
      ? problem['errors'].filter(isRecord).map((e) => ({
          field: String(e['field']),
          message: String(e['message']),
        }))
      : [];
    const fallback =
      typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 200) : '';
    return new BrokerProblem(
      'http',
      response.status,
      text('code') ?? `HTTP_${response.status}`,
      text('detail') ?? (fallback || `HTTP ${response.status} ${response.statusText}`.trim()),
      text('request_id') ?? response.headers.get('x-request-id'),
      headerRetry ?? bodyRetry,
      errors,
    );
  }

  /** `timedOut`: the caller's deadline signal fired (the error's realm and shape vary by runtime). */
  static fromTransport(error: unknown, url: string, timedOut = false): BrokerProblem {
    const name = error instanceof Error ? error.name : '';
    if (timedOut || name === 'TimeoutError') {
      return new BrokerProblem(
        'timeout',
        0,
        'TIMEOUT',
        `no answer from ${url} in time`,
        null,
        null,
        [],
        {
          cause: error,
        },
      );
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new BrokerProblem(
      'network',
      0,
      'NETWORK_ERROR',
      `cannot reach ${url}: ${reason}`,
      null,
      null,
      [],
      {
        cause: error,
      },
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
