import type { CspOperation, PermanentFailure, RetryableFailure } from '../csp-client';
import { failureOf, permanent } from '../http/failure';
import { parseJsonBody } from '../http/http-call';
import type { UpstreamResilience } from '../resilience/upstream';

export const SIGN_IN_PATH = '/v2/session/users/sign_in';
export const ACCOUNT_SWITCH_PATH = '/v2/session/account_switch';

/** A step of a multi-call flow: its value, or the failure that ends the flow. */
export type Step<T> =
  { ok: true; value: T } | { ok: false; failure: RetryableFailure | PermanentFailure };

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Where and as whom to sign in (reference §5.4 steps 1–2, §5.8). */
export interface SessionSettings {
  /** Origin without `/v2`, e.g. `https://csp.infoblox.com`. */
  readonly baseUrl: string;
  readonly email: string;
  readonly password: string;
  /** Per-call deadline. */
  readonly timeoutMs: number;
}

export interface SessionOptions {
  /** Reason prefixes, e.g. `NIOSXaaS` gives "NIOSXaaS sign-in: HTTP 401 …". */
  readonly label: string;
  /**
   * Retry sign-in and account switch on 5xx/timeouts. Both are POSTs but change nothing
   * server-side (each just issues a new token), so a caller whose flow is itself safe to repeat
   * may retry them; the NIOSXaaS clean-up does not (its job reruns instead).
   */
  readonly retry: boolean;
}

/**
 * Signs in with e-mail/password and switches into `externalId` (`identity/accounts/<uuid>`):
 * the Bearer token scoped to that account. Both answers must be the provider's JSON with a
 * non-empty `jwt`. Failures: sign-in 401 and switch 404 are permanent; 5xx, timeouts and
 * answers that are not the provider's are retryable. Reasons never contain the password or a
 * token (see `registerSecret`; JWTs are redacted from reasons).
 */
export async function openAccountSession(
  upstream: UpstreamResilience,
  settings: SessionSettings,
  externalId: string,
  options: SessionOptions,
): Promise<Step<string>> {
  const session = await postForJwt(
    upstream,
    settings,
    `${options.label} sign-in`,
    'sign_in',
    SIGN_IN_PATH,
    undefined,
    { email: settings.email, password: settings.password },
    options.retry,
  );
  if (!session.ok) return session;
  return postForJwt(
    upstream,
    settings,
    `${options.label} account switch`,
    'account_switch',
    ACCOUNT_SWITCH_PATH,
    session.value,
    { id: externalId },
    options.retry,
  );
}

/** A POST that answers `{jwt}`, guarded by the breaker. */
async function postForJwt(
  upstream: UpstreamResilience,
  settings: SessionSettings,
  what: string,
  operation: CspOperation,
  path: string,
  bearer: string | undefined,
  body: unknown,
  retry: boolean,
): Promise<Step<string>> {
  const result = await upstream.call(
    operation,
    {
      method: 'POST',
      url: `${settings.baseUrl}${path}`,
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      body,
      timeoutMs: settings.timeoutMs,
    },
    retry,
  );
  const failure = failureOf(what, result);
  if (failure) return { ok: false, failure };
  const jwt =
    result.kind === 'response' ? record(parseJsonBody(result.response.body))?.['jwt'] : undefined;
  if (typeof jwt !== 'string' || jwt === '') {
    return { ok: false, failure: permanent(`${what}: answer has no jwt`) };
  }
  return { ok: true, value: jwt };
}
