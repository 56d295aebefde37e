import { uuidOf, type ProviderSandbox, type SandboxProvider } from '@broker/domain';
import { isActiveSandbox, toProviderSandbox, type CspAccount } from './accounts/account-mapper';
import {
  CspClientError,
  type BreakerListener,
  type BreakerState,
  type DeleteSandboxResult,
  type NiosCleanupResult,
  type Upstream,
} from './csp-client';
import {
  resolveCspClientConfig,
  type CspClientConfig,
  type ResolvedCspClientConfig,
} from './csp-client.config';
import { registerSecret } from './http/error-reason';
import { failureOf, isSuccess, permanent } from './http/failure';
import { parseJsonBody } from './http/http-call';
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
  private readonly upstreams: Record<Upstream, UpstreamResilience>;
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
    this.upstreams = {
      csp: new UpstreamResilience({ name: 'csp', ...common }),
      niosxaas: new UpstreamResilience({ name: 'niosxaas', ...common }),
    };
    this.nios = new NiosxaasCleanup(c.niosxaas, this.upstreams.niosxaas);
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

  /** Deletes the account; never throws for provider or network failures. */
  async deleteSandbox(externalId: string): Promise<DeleteSandboxResult> {
    const uuid = uuidOf(externalId.trim());
    if (uuid === '') return permanent(`CSP delete: no account uuid in external id "${externalId}"`);
    const result = await this.upstreams.csp.call(
      'delete',
      {
        method: 'DELETE',
        url: `${this.config.baseUrl}/sandbox/accounts/${encodeURIComponent(uuid)}`,
        headers: this.cspHeaders(),
        timeoutMs: this.config.deleteTimeoutMs,
      },
      true,
    );
    // 404: already gone (an earlier attempt may have succeeded after its answer was lost).
    if (result.kind === 'response' && result.response.status === 404) return { kind: 'gone' };
    return failureOf('CSP delete', result) ?? { kind: 'gone' };
  }

  /** NIOSXaaS pre-delete hook: remove the account's universal services. Never throws. */
  cleanupUniversalServices(externalId: string): Promise<NiosCleanupResult> {
    return this.nios.run(externalId);
  }

  breakerState(upstream: Upstream): BreakerState {
    return this.upstreams[upstream].state();
  }

  /** Returns an unsubscribe function. */
  onBreakerStateChange(listener: BreakerListener): () => void {
    const offs = (Object.keys(this.upstreams) as Upstream[]).map((name) =>
      this.upstreams[name].onStateChange((state) => listener(name, state)),
    );
    return () => offs.forEach((off) => off());
  }

  private cspHeaders(): Record<string, string> {
    return { authorization: `Token ${this.config.token}` };
  }

  private async listPage(offset: number, limit: number): Promise<Record<string, unknown>> {
    const url = `${this.config.baseUrl}/current_user/accounts?_offset=${offset}&_limit=${limit}`;
    const result = await this.upstreams.csp.call(
      'list',
      { method: 'GET', url, headers: this.cspHeaders(), timeoutMs: this.config.listTimeoutMs },
      true,
    );
    const failure = failureOf('CSP list', result);
    if (failure) throw new CspClientError(failure);
    const response = result.kind === 'response' ? result.response : undefined;
    const body = record(parseJsonBody(response?.body ?? ''));
    if (!response || !isSuccess(response.status) || !body || !Array.isArray(body['results'])) {
      throw new CspClientError(permanent('CSP list: answer is not {"results": [...]}'));
    }
    return body;
  }
}
