import { uuidOf, type ProviderSandbox, type SandboxProvider } from '@broker/domain';
import { isActiveSandbox, toProviderSandbox, type CspAccount } from './accounts/account-mapper';
import {
  CspClientError,
  type AccountReadResult,
  type BreakerKind,
  type BreakerListener,
  type BreakerState,
  type DeleteOptions,
  type DeleteSandboxResult,
  type NiosCleanupResult,
} from './csp-client';
import {
  resolveCspClientConfig,
  type CspClientConfig,
  type ResolvedCspClientConfig,
} from './csp-client.config';
import { registerSecret } from './http/error-reason';
import { failureOf, isSuccess, permanent } from './http/failure';
import { parseJsonBody } from './http/http-call';
import { isProviderAnswer, isProviderNotFound } from './http/provider-answer';
import { NiosxaasCleanup } from './niosxaas/niosxaas-cleanup';
import { UpstreamResilience } from './resilience/upstream';

/** Safety stop for a provider that keeps saying "more" (1,000 pages of 100 = 100,000 accounts). */
const MAX_PAGES = 1_000;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function keyOf(account: CspAccount): string {
  if (typeof account.id === 'string' && account.id !== '') return account.id;
  return typeof account.csp_id === 'number' || typeof account.csp_id === 'string'
    ? String(account.csp_id)
    : '';
}

/**
 * The domain's `SandboxProvider` port over HTTP (Infoblox CSP): global fetch, per-call timeouts,
 * retries and one breaker per upstream. Results are narrower than the port's (e.g. the NIOSXaaS
 * cleanup lists the services it found, matched and deleted), and `onBreakerStateChange` is extra.
 */
export class HttpCspClient implements SandboxProvider {
  private readonly config: ResolvedCspClientConfig;
  private readonly breakers: Record<BreakerKind, UpstreamResilience>;
  private readonly nios: NiosxaasCleanup;

  constructor(config: CspClientConfig) {
    this.config = resolveCspClientConfig(config);
    registerSecret(config.token);
    registerSecret(config.niosxaas?.password);
    const c = this.config;
    const common = {
      breakerThreshold: c.breakerThreshold,
      halfOpenAfterMs: c.halfOpenAfterMs,
      maxRetries: c.maxRetries,
      initialDelayMs: c.initialDelayMs,
      maxDelayMs: c.maxDelayMs,
      maxRetryAfterMs: c.maxRetryAfterMs,
      hooks: c.hooks,
    };
    this.breakers = {
      list: new UpstreamResilience({ name: 'list', ...common }),
      delete: new UpstreamResilience({ name: 'delete', ...common }),
      niosxaas: new UpstreamResilience({ name: 'niosxaas', ...common }),
    };
    this.nios = new NiosxaasCleanup(c.niosxaas, this.breakers.niosxaas);
  }

  /**
   * Every active sandbox account, across all pages. Pages with `_offset`/`_limit`; stops on
   * `page.total`, on a falsy `next`, on a short page, or when the server evidently ignores paging
   * (more than asked, or nothing new) — so paged and unpaged answers both work.
   * @throws CspClientError (kind `retryable` or `permanent`) when the list cannot be read.
   */
  async listSandboxes(): Promise<ProviderSandbox[]> {
    const limit = this.config.pageSize;
    const seen = new Set<string>();
    const sandboxes: ProviderSandbox[] = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.listPage(offset, limit);
      const results = body['results'] as unknown[];
      let added = 0;
      for (const item of results) {
        const account = record(item) as CspAccount | undefined;
        if (!account) continue;
        const key = keyOf(account);
        if (key === '' || seen.has(key)) continue;
        seen.add(key);
        added++;
        if (!isActiveSandbox(account)) continue;
        const sandbox = toProviderSandbox(account);
        if (sandbox) sandboxes.push(sandbox);
      }
      offset += results.length;
      const meta = record(body['page']);
      if (meta && typeof meta['total'] === 'number') {
        if (results.length === 0 || offset >= meta['total']) return sandboxes;
        continue;
      }
      if ('next' in body) {
        if (!body['next'] || results.length === 0) return sandboxes;
        continue;
      }
      if (results.length !== limit || added === 0) return sandboxes;
    }
    throw new CspClientError(permanent(`CSP list: more than ${MAX_PAGES} pages; giving up`));
  }

  /**
   * Deletes the account and verifies it: `gone` only when the provider's own answer (JSON, or an
   * empty 204; a 404 only with the provider's JSON error body) accepted the delete AND a
   * read-back no longer lists the account as active. Anything else is a failure, never `gone`.
   * `beforeAttempt` runs right before each DELETE that is sent (retries included): the caller's
   * rate limit. Never throws for provider or network failures.
   */
  async deleteSandbox(
    externalId: string,
    options: DeleteOptions = {},
  ): Promise<DeleteSandboxResult> {
    const uuid = uuidOf(externalId.trim());
    if (uuid === '') return permanent(`CSP delete: no account uuid in external id "${externalId}"`);
    const result = await this.breakers.delete.call(
      'delete',
      {
        method: 'DELETE',
        url: `${this.config.baseUrl}/sandbox/accounts/${encodeURIComponent(uuid)}`,
        headers: this.cspHeaders(),
        timeoutMs: this.config.deleteTimeoutMs,
      },
      true,
      options.beforeAttempt,
    );
    // 404 from the provider itself: already gone (an earlier answer may have been lost).
    const notFound = result.kind === 'response' && isProviderNotFound(result.response);
    if (!notFound) {
      const failure = failureOf('CSP delete', result);
      if (failure) return failure;
    }
    const read = await this.readAccount(externalId);
    if (read.kind === 'inactive') return { kind: 'gone' };
    if (read.kind === 'active') {
      return {
        kind: 'retryable',
        reason: 'CSP delete: accepted, but the provider still lists the account as active',
      };
    }
    return { ...read, reason: `CSP delete: accepted, not verified: ${read.reason}` };
  }

  /**
   * Reads one account back: `GET {base}/current_user/accounts?_filter=id=="<external id>"`.
   * `active` when the provider lists it as an active sandbox, `inactive` when the provider's own
   * answer does not (absent, or another state such as `deleting`). An answer that is not the
   * provider's, or that evidently ignored the filter (other accounts in it), proves nothing and
   * is a retryable failure.
   */
  async readAccount(externalId: string): Promise<AccountReadResult> {
    const id = externalId.trim();
    if (id === '') return permanent('CSP read: empty external id');
    const filter = encodeURIComponent(`id=="${id}"`);
    const url = `${this.config.baseUrl}/current_user/accounts?_filter=${filter}`;
    const result = await this.breakers.list.call(
      'read_account',
      { method: 'GET', url, headers: this.cspHeaders(), timeoutMs: this.config.listTimeoutMs },
      true,
    );
    const failure = failureOf('CSP read', result);
    if (failure) return failure;
    const response = result.kind === 'response' ? result.response : undefined;
    const results = response ? record(parseJsonBody(response.body))?.['results'] : undefined;
    if (!Array.isArray(results)) {
      return { kind: 'retryable', reason: 'CSP read: answer is not {"results": [...]}' };
    }
    let active = false;
    for (const item of results) {
      const account = record(item) as CspAccount | undefined;
      if (!account || account.id !== id) {
        return { kind: 'retryable', reason: 'CSP read: the provider ignored the id filter' };
      }
      if (isActiveSandbox(account)) active = true;
    }
    return { kind: active ? 'active' : 'inactive' };
  }

  /** NIOSXaaS pre-delete hook: remove the account's universal services. Never throws. */
  cleanupUniversalServices(externalId: string): Promise<NiosCleanupResult> {
    return this.nios.run(externalId);
  }

  breakerState(breaker: BreakerKind): BreakerState {
    return this.breakers[breaker].state();
  }

  /** Returns an unsubscribe function. */
  onBreakerStateChange(listener: BreakerListener): () => void {
    const offs = (Object.keys(this.breakers) as BreakerKind[]).map((name) =>
      this.breakers[name].onStateChange((state) => listener(name, state)),
    );
    return () => offs.forEach((off) => off());
  }

  private cspHeaders(): Record<string, string> {
    return { authorization: `Token ${this.config.token}` };
  }

  private async listPage(offset: number, limit: number): Promise<Record<string, unknown>> {
    const url = `${this.config.baseUrl}/current_user/accounts?_offset=${offset}&_limit=${limit}`;
    const result = await this.breakers.list.call(
      'list',
      { method: 'GET', url, headers: this.cspHeaders(), timeoutMs: this.config.listTimeoutMs },
      true,
    );
    const failure = failureOf('CSP list', result);
    if (failure) throw new CspClientError(failure);
    const response = result.kind === 'response' ? result.response : undefined;
    const body = record(parseJsonBody(response?.body ?? ''));
    if (
      !response ||
      !isProviderAnswer(response) ||
      !isSuccess(response.status) ||
      !body ||
      !Array.isArray(body['results'])
    ) {
      throw new CspClientError(permanent('CSP list: answer is not {"results": [...]}'));
    }
    return body;
  }
}
