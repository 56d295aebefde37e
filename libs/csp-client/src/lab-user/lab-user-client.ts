import type { PermanentFailure, RetryableFailure } from '../csp-client';
import type { CspClientHooks } from '../csp-client.config';
import { forgetSecret, registerSecret } from '../http/error-reason';
import { failureOf, isSuccess, permanent } from '../http/failure';
import { parseJsonBody } from '../http/http-call';
import { isProviderAnswer, isProviderNotFound } from '../http/provider-answer';
import { UpstreamResilience } from '../resilience/upstream';
import { openAccountSession, record, type Step } from '../session/account-session';
import { generateLabUserPassword } from './lab-user-password';

const GROUPS = '/v2/groups';
const USERS = '/v2/users';
const ACCOUNT_PREFIX = 'identity/accounts/';
const USER_PREFIX = 'identity/users/';
/** A uuid-like path segment: nothing that could change the path or the `_filter` expression. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;
/** No quotes, backslashes or spaces: the address goes into `_filter=email=="…"`. */
const EMAIL = /^[^\s@"\\]{1,64}@[^\s@"\\]+\.[^\s@"\\]+$/;

export interface LabUserClientConfig {
  /** CSP origin **without** `/v2`, e.g. `https://csp.infoblox.com` (as `INFOBLOX`/`CSP_URL`). */
  baseUrl: string;
  /** The operator's (privileged) CSP account; never part of a failure reason. */
  email: string;
  password: string;
  /** Per-call deadline, headers and body (default 15 s). */
  timeoutMs?: number;
  /** Retries on 5xx, 429, 408, timeouts, network errors and answers not the provider's. */
  retry?: {
    /** Retries after the first attempt (default 3). */
    maxRetries?: number;
    /** First back-off (default 500 ms), exponential with decorrelated jitter. */
    initialDelayMs?: number;
    /** Back-off ceiling (default 5 s). */
    maxDelayMs?: number;
    /** A longer `Retry-After` ends the call as retryable instead of being slept through (10 s). */
    maxRetryAfterMs?: number;
  };
  /** Consecutive failures that open the breaker (default 5) and its open time (60 s). */
  breaker?: { threshold?: number; halfOpenAfterMs?: number };
  /** Groups the lab user joins, by exact name (default `user`, `act_admin`; reference §5.8). */
  groupNames?: readonly string[];
  /** Generated password length (default 20; 16..128). */
  passwordLength?: number;
  /** Metrics/logs; reasons in them never contain the passwords or session tokens. */
  hooks?: Pick<CspClientHooks, 'onCall' | 'onRetry'>;
}

export interface ProvisionLabUserInput {
  /** The student's sandbox account: `identity/accounts/<uuid>` or the bare uuid. */
  sandboxExternalId: string;
  /** The lab user's e-mail, e.g. `<participant>@infoblox.lab`. */
  email: string;
  /** Display name (default: the e-mail's local part). */
  name?: string;
}

export interface CleanupLabUserInput {
  /** The student's sandbox account: `identity/accounts/<uuid>` or the bare uuid. */
  sandboxExternalId: string;
  /** `identity/users/<uuid>` (as `provision` returned it) or the bare uuid. */
  userId: string;
}

/** What the lab writes for the student. Holds a secret: do not log it. */
export interface LabUserCredentials {
  readonly email: string;
  /** Freshly generated and set on every provision. */
  readonly password: string;
  /** `identity/users/<uuid>`, the provider's id. */
  readonly userId: string;
  /** `identity/accounts/<uuid>`, the sandbox account the user lives in. */
  readonly accountId: string;
}

export type LabUserProvisionResult =
  /** `created: false`: the user already existed (409) and was found by e-mail; new password set. */
  | {
      readonly kind: 'provisioned';
      readonly created: boolean;
      readonly credentials: LabUserCredentials;
    }
  | RetryableFailure
  | PermanentFailure;

export type LabUserCleanupResult =
  | { readonly kind: 'deleted' }
  /** The provider's own 404 for the user: nothing to do. */
  | { readonly kind: 'already-gone' }
  | RetryableFailure
  | PermanentFailure;

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min) {
    throw new Error(`lab-user client: ${name} must be a number >= ${min} (got ${String(value)})`);
  }
  return v;
}

function accountIdOf(input: string): string | undefined {
  const uuid = input.trim().replace(/^identity\/accounts\//, '');
  return SEGMENT.test(uuid) ? `${ACCOUNT_PREFIX}${uuid}` : undefined;
}

function userUuidOf(input: string): string | undefined {
  const uuid = input.trim().replace(/^identity\/users\//, '');
  return SEGMENT.test(uuid) ? uuid : undefined;
}

/**
 * Provisions and removes the lab user in a student's sandbox account, as an Instruqt lab's
 * `user_provision.py` / `user_cleanup.py` did (reference §5.8): sign in with the operator's CSP
 * e-mail/password, switch into the sandbox account, then use the identity API with that
 * account-scoped session. A fresh session per call (tokens are short-lived and per account).
 *
 * Resilience: every call has its own deadline; every call is retried with back-off on 5xx, 429,
 * 408, timeouts, network errors and answers that are not the provider's JSON — including the
 * POSTs, because each is safe to repeat here (sign-in/switch only issue tokens, a repeated create
 * answers 409 and is resolved by lookup, setting the same password twice is harmless). One
 * consecutive-failure breaker (`lab-user`) guards them all. Never throws for provider or network
 * trouble; invalid input is a `permanent` result with no call made.
 *
 * Secrets: the operator password and each generated password are registered for redaction, and
 * session tokens (JWTs) are redacted, so no failure `reason` (nor an `onRetry` reason) contains
 * them, even when an error page echoes the request.
 */
export class LabUserClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly groupNames: readonly string[];
  private readonly passwordLength: number;
  private readonly upstream: UpstreamResilience;

  /** @throws Error naming the setting when the configuration is invalid. */
  constructor(private readonly config: LabUserClientConfig) {
    if (!/^https?:\/\/[^/]+\/?$/.test(config.baseUrl)) {
      throw new Error(
        `lab-user client: baseUrl must be an http(s) origin without a path, e.g. https://csp.infoblox.com (got "${config.baseUrl}")`,
      );
    }
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = positive('timeoutMs', config.timeoutMs, 15_000);
    this.groupNames = config.groupNames ?? ['user', 'act_admin'];
    if (this.groupNames.length === 0 || this.groupNames.some((g) => g === '')) {
      throw new Error('lab-user client: groupNames must be non-empty names');
    }
    this.passwordLength = positive('passwordLength', config.passwordLength, 20, 16);
    generateLabUserPassword(this.passwordLength); // validates the length now, not mid-provision
    registerSecret(config.password);
    this.upstream = new UpstreamResilience({
      name: 'lab-user',
      maxRetries: positive('retry.maxRetries', config.retry?.maxRetries, 3, 0),
      initialDelayMs: positive('retry.initialDelayMs', config.retry?.initialDelayMs, 500),
      maxDelayMs: positive('retry.maxDelayMs', config.retry?.maxDelayMs, 5_000),
      maxRetryAfterMs: positive('retry.maxRetryAfterMs', config.retry?.maxRetryAfterMs, 10_000, 0),
      breakerThreshold: positive('breaker.threshold', config.breaker?.threshold, 5),
      halfOpenAfterMs: positive('breaker.halfOpenAfterMs', config.breaker?.halfOpenAfterMs, 60_000),
      hooks: config.hooks ?? {},
    });
  }

  /**
   * Creates the lab user in the sandbox account with the configured groups and sets a freshly
   * generated password (`generateLabUserPassword`). Calls: sign-in, account switch,
   * `GET /v2/groups`, `POST /v2/users {name, email, type: "interactive", group_ids}` — a 409
   * means the user exists: `GET /v2/users?_filter=email=="<email>"` — then
   * `POST /v2/users/identity/users/<uuid>/password {new_password}`.
   *
   * Results: `provisioned` with the credentials; `permanent` for bad input, missing operator
   * credentials, sign-in 401, an unknown account (switch 404), a missing group, or another 4xx;
   * `retryable` for 5xx/timeouts after the retries, answers that are not the provider's, or a
   * 409 whose user the lookup cannot find (yet).
   */
  async provision(input: ProvisionLabUserInput): Promise<LabUserProvisionResult> {
    const accountId = accountIdOf(input.sandboxExternalId);
    if (!accountId)
      return permanent('Lab user: sandbox id must be identity/accounts/<uuid> or a uuid');
    const email = input.email.trim();
    if (!EMAIL.test(email)) return permanent('Lab user: invalid e-mail address');
    const name = (input.name ?? email.split('@')[0]!).trim();
    if (name === '') return permanent('Lab user: empty name');
    const session = await this.session(accountId);
    if (!session.ok) return session.failure;
    const jwt = session.value;

    const groups = await this.groupIds(jwt);
    if (!groups.ok) return groups.failure;
    const user = await this.createOrFind(jwt, { name, email, groupIds: groups.value });
    if (!user.ok) return user.failure;

    const password = generateLabUserPassword(this.passwordLength);
    registerSecret(password);
    try {
      const set = await this.setPassword(jwt, user.value.uuid, password);
      if (!set.ok) return set.failure;
    } finally {
      forgetSecret(password);
    }
    return {
      kind: 'provisioned',
      created: user.value.created,
      credentials: { email, password, userId: `${USER_PREFIX}${user.value.uuid}`, accountId },
    };
  }

  /**
   * Deletes the lab user: sign-in, account switch, `DELETE /v2/users/identity/users/<uuid>`
   * (the path of the reference's `delete_user_with_broker.py`). `deleted` on the provider's 2xx,
   * `already-gone` on the provider's JSON 404 (a proxy's HTML 404 is `retryable`). An unknown
   * account fails at the switch: `permanent`, status 404 (run clean-up before deallocation).
   */
  async cleanup(input: CleanupLabUserInput): Promise<LabUserCleanupResult> {
    const accountId = accountIdOf(input.sandboxExternalId);
    if (!accountId)
      return permanent('Lab user: sandbox id must be identity/accounts/<uuid> or a uuid');
    const userUuid = userUuidOf(input.userId);
    if (!userUuid) return permanent('Lab user: user id must be identity/users/<uuid> or a uuid');
    const session = await this.session(accountId);
    if (!session.ok) return session.failure;
    const result = await this.upstream.call(
      'user_delete',
      {
        method: 'DELETE',
        url: `${this.baseUrl}${USERS}/${USER_PREFIX}${userUuid}`,
        headers: { authorization: `Bearer ${session.value}` },
        timeoutMs: this.timeoutMs,
      },
      true,
    );
    if (result.kind === 'response') {
      if (isProviderNotFound(result.response)) return { kind: 'already-gone' };
      if (isSuccess(result.response.status) && isProviderAnswer(result.response)) {
        return { kind: 'deleted' };
      }
    }
    return (
      failureOf(`Lab user delete ${USER_PREFIX}${userUuid}`, result) ?? permanent('unreachable')
    );
  }

  private session(accountId: string): Promise<Step<string>> {
    if (this.config.email === '' || this.config.password === '') {
      return Promise.resolve({ ok: false, failure: permanent('Missing operator CSP credentials') });
    }
    return openAccountSession(
      this.upstream,
      {
        baseUrl: this.baseUrl,
        email: this.config.email,
        password: this.config.password,
        timeoutMs: this.timeoutMs,
      },
      accountId,
      { label: 'Lab user', retry: true },
    );
  }

  private async getJson(
    what: string,
    operation: 'groups_list' | 'users_list',
    url: string,
    jwt: string,
  ): Promise<Step<Record<string, unknown>>> {
    const result = await this.upstream.call(
      operation,
      {
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${jwt}` },
        timeoutMs: this.timeoutMs,
      },
      true,
    );
    const failure = failureOf(what, result);
    if (failure) return { ok: false, failure };
    const body =
      result.kind === 'response' ? record(parseJsonBody(result.response.body)) : undefined;
    return body
      ? { ok: true, value: body }
      : { ok: false, failure: permanent(`${what}: empty answer`) };
  }

  private async groupIds(jwt: string): Promise<Step<string[]>> {
    const what = 'Lab user groups';
    const listed = await this.getJson(what, 'groups_list', `${this.baseUrl}${GROUPS}`, jwt);
    if (!listed.ok) return listed;
    const results = listed.value['results'];
    if (!Array.isArray(results)) {
      return { ok: false, failure: permanent(`${what}: answer has no results array`) };
    }
    const ids: string[] = [];
    const missing: string[] = [];
    for (const wanted of this.groupNames) {
      const group = results.map(record).find((g) => g?.['name'] === wanted);
      const id = group?.['id'];
      if (typeof id === 'string' && id !== '') ids.push(id);
      else missing.push(wanted);
    }
    if (missing.length > 0) {
      return {
        ok: false,
        failure: permanent(`${what}: the account has no group named ${missing.join(', ')}`),
      };
    }
    return { ok: true, value: ids };
  }

  private async createOrFind(
    jwt: string,
    user: { name: string; email: string; groupIds: string[] },
  ): Promise<Step<{ uuid: string; created: boolean }>> {
    const what = 'Lab user create';
    const result = await this.upstream.call(
      'user_create',
      {
        method: 'POST',
        url: `${this.baseUrl}${USERS}`,
        headers: { authorization: `Bearer ${jwt}` },
        body: { name: user.name, email: user.email, type: 'interactive', group_ids: user.groupIds },
        timeoutMs: this.timeoutMs,
      },
      true, // a repeat answers 409, resolved below
    );
    if (
      result.kind === 'response' &&
      result.response.status === 409 &&
      isProviderAnswer(result.response)
    ) {
      return this.findByEmail(jwt, user.email);
    }
    const failure = failureOf(what, result);
    if (failure) return { ok: false, failure };
    const body =
      result.kind === 'response' ? record(parseJsonBody(result.response.body)) : undefined;
    // CSP wraps single objects as {result: {...}}; accept a bare object too.
    const id = (record(body?.['result']) ?? body)?.['id'];
    const uuid = typeof id === 'string' ? userUuidOf(id) : undefined;
    if (!uuid) return { ok: false, failure: permanent(`${what}: answer has no user id`) };
    return { ok: true, value: { uuid, created: true } };
  }

  private async findByEmail(
    jwt: string,
    email: string,
  ): Promise<Step<{ uuid: string; created: boolean }>> {
    const what = 'Lab user lookup';
    const filter = encodeURIComponent(`email=="${email}"`);
    const listed = await this.getJson(
      what,
      'users_list',
      `${this.baseUrl}${USERS}?_filter=${filter}`,
      jwt,
    );
    if (!listed.ok) return listed;
    const results = listed.value['results'];
    if (!Array.isArray(results)) {
      return { ok: false, failure: permanent(`${what}: answer has no results array`) };
    }
    // Match the address ourselves: an answer that ignored the filter must not pick someone else.
    const wanted = email.toLowerCase();
    const found = results
      .map(record)
      .find((u) => typeof u?.['email'] === 'string' && u['email'].toLowerCase() === wanted);
    const uuid = typeof found?.['id'] === 'string' ? userUuidOf(found['id']) : undefined;
    if (!uuid) {
      return {
        ok: false,
        failure: {
          kind: 'retryable',
          reason: `${what}: create answered 409 (exists) but no user ${email} was found`,
        },
      };
    }
    return { ok: true, value: { uuid, created: false } };
  }

  private async setPassword(jwt: string, uuid: string, password: string): Promise<Step<true>> {
    const result = await this.upstream.call(
      'user_password',
      {
        method: 'POST',
        url: `${this.baseUrl}${USERS}/${USER_PREFIX}${uuid}/password`,
        headers: { authorization: `Bearer ${jwt}` },
        body: { new_password: password },
        timeoutMs: this.timeoutMs,
      },
      true,
    );
    const failure = failureOf('Lab user set password', result);
    return failure ? { ok: false, failure } : { ok: true, value: true };
  }
}
