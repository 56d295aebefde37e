import { uuidOf } from '@broker/domain';
import type {
  NiosCleanupDone,
  NiosCleanupResult,
  PermanentFailure,
  RetryableFailure,
  UniversalService,
} from '../csp-client';
import type { NiosxaasConfig } from '../csp-client.config';
import { failureOf, isSuccess, permanent } from '../http/failure';
import { parseJsonBody } from '../http/http-call';
import { isProviderAnswer, isProviderNotFound } from '../http/provider-answer';
import type { UpstreamResilience } from '../resilience/upstream';
import { openAccountSession, record, type Step } from '../session/account-session';

const SERVICES = '/api/universalinfra/v1/universalservices';

function done(
  outcome: NiosCleanupDone['outcome'],
  found: UniversalService[] = [],
  matched: UniversalService[] = [],
  deleted: UniversalService[] = [],
): NiosCleanupDone {
  return { kind: 'done', outcome, found, matched, deleted };
}

/**
 * Deletes the universal services a lab left in a sandbox account before the account itself is
 * deleted: sign in, switch into the account, list services, delete those with the configured
 * name. A fresh session per sandbox (tokens are short-lived and scoped to one account).
 */
export class NiosxaasCleanup {
  constructor(
    private readonly config: NiosxaasConfig,
    private readonly upstream: UpstreamResilience,
  ) {}

  async run(externalId: string): Promise<NiosCleanupResult> {
    const cfg = this.config;
    if (!cfg.enabled) return done('disabled');
    if (cfg.email === '' || cfg.password === '') return permanent('Missing NIOSXaaS credentials');
    if (externalId.trim() === '') return permanent('NIOSXaaS: empty external id');

    // Not retried: a failed clean-up is simply run again for the sandbox.
    const account = await openAccountSession(this.upstream, cfg, externalId, {
      label: 'NIOSXaaS',
      retry: false,
    });
    if (!account.ok) return account.failure;

    const listed = await this.listServices(account.value);
    if (!listed.ok) return listed.failure;
    const found = listed.value;
    const matched =
      cfg.serviceName === '' ? found : found.filter((s) => s.name === cfg.serviceName);
    if (matched.length === 0) return done('nothing-to-delete', found);
    if (cfg.shadowMode) return done('shadow', found, matched);

    const deleted: UniversalService[] = [];
    const failures: Array<RetryableFailure | PermanentFailure> = [];
    for (const service of matched) {
      const result = await this.upstream.call(
        'service_delete',
        {
          method: 'DELETE',
          url: `${cfg.baseUrl}${SERVICES}/${encodeURIComponent(uuidOf(service.id))}`,
          headers: { authorization: `Bearer ${account.value}` },
          timeoutMs: cfg.timeoutMs,
        },
        true,
      );
      // 404 only when the provider itself says so (JSON error body), not a proxy's page.
      const gone =
        result.kind === 'response' &&
        ((isSuccess(result.response.status) && isProviderAnswer(result.response)) ||
          isProviderNotFound(result.response));
      const failure = gone ? undefined : failureOf(`NIOSXaaS delete ${service.id}`, result);
      if (failure) failures.push(failure);
      else deleted.push(service);
    }
    if (failures.length > 0) {
      // Retryable wins: the next attempt re-lists and only sees what is still there.
      const first = failures.find((f) => f.kind === 'retryable') ?? failures[0]!;
      return {
        ...first,
        reason: `deleted ${deleted.length} of ${matched.length}; ${first.reason}`,
      };
    }
    return done('cleaned', found, matched, deleted);
  }

  private async listServices(jwt: string): Promise<Step<UniversalService[]>> {
    const what = 'NIOSXaaS list services';
    const result = await this.upstream.call(
      'services_list',
      {
        method: 'GET',
        url: `${this.config.baseUrl}${SERVICES}`,
        headers: { authorization: `Bearer ${jwt}` },
        timeoutMs: this.config.timeoutMs,
      },
      true,
    );
    const failure = failureOf(what, result);
    if (failure) return { ok: false, failure };
    const body =
      result.kind === 'response' ? record(parseJsonBody(result.response.body)) : undefined;
    const results = body?.['results'];
    if (!Array.isArray(results)) {
      return { ok: false, failure: permanent(`${what}: answer has no results array`) };
    }
    const services: UniversalService[] = [];
    for (const item of results) {
      const r = record(item);
      if (typeof r?.['id'] === 'string' && r['id'] !== '') {
        services.push({ id: r['id'], name: typeof r['name'] === 'string' ? r['name'] : '' });
      }
    }
    return { ok: true, value: services };
  }
}
