import type {
  ProviderAccountRead,
  ProviderBreaker,
  ProviderBreakerState,
  ProviderDeleteOptions,
  ProviderDeleteResult,
  ProviderPreDeleteResult,
  SandboxProvider,
} from '../ports/sandbox-provider';
import type { ProviderSandbox } from '../sandbox/sandbox';

type DeleteScript = (externalId: string, call: number) => ProviderDeleteResult | undefined;

/**
 * An in-memory provider for unit tests of job logic: a list of accounts, scripted delete and
 * pre-delete answers, a settable breaker, and a record of every call.
 */
export class FakeSandboxProvider implements SandboxProvider {
  readonly accounts = new Map<string, ProviderSandbox>();
  readonly deleteCalls: string[] = [];
  readonly preDeleteCalls: string[] = [];
  breaker: Record<ProviderBreaker, ProviderBreakerState> = {
    list: 'closed',
    delete: 'closed',
    niosxaas: 'closed',
  };
  /** Accounts the provider lists as active without returning them from `listSandboxes`. */
  readonly hiddenFromList = new Set<string>();
  /** Returns an answer to override the default (`gone` and removal from the list). */
  deleteScript: DeleteScript = () => undefined;
  preDeleteScript: (externalId: string) => ProviderPreDeleteResult = () => ({
    kind: 'done',
    outcome: 'disabled',
  });
  listError: Error | null = null;

  constructor(accounts: readonly ProviderSandbox[] = []) {
    for (const account of accounts) this.accounts.set(account.externalId, account);
  }

  listSandboxes(): Promise<ProviderSandbox[]> {
    if (this.listError) return Promise.reject(this.listError);
    return Promise.resolve(
      [...this.accounts.values()].filter((a) => !this.hiddenFromList.has(a.externalId)),
    );
  }

  readAccount(externalId: string): Promise<ProviderAccountRead> {
    return Promise.resolve({ kind: this.accounts.has(externalId) ? 'active' : 'inactive' });
  }

  async deleteSandbox(
    externalId: string,
    options: ProviderDeleteOptions = {},
  ): Promise<ProviderDeleteResult> {
    if (options.beforeAttempt && !(await options.beforeAttempt())) {
      return { kind: 'retryable', reason: 'not sent: gate refused', notSent: true };
    }
    this.deleteCalls.push(externalId);
    const scripted = this.deleteScript(externalId, this.deleteCalls.length);
    if (scripted) return scripted;
    this.accounts.delete(externalId);
    return { kind: 'gone' };
  }

  cleanupUniversalServices(externalId: string): Promise<ProviderPreDeleteResult> {
    this.preDeleteCalls.push(externalId);
    return Promise.resolve(this.preDeleteScript(externalId));
  }

  breakerState(breaker: ProviderBreaker): ProviderBreakerState {
    return this.breaker[breaker];
  }
}
