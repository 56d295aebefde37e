import type { ProviderSandbox } from '@broker/domain';

/** A CSP account as `GET current_user/accounts` returns it (only the fields we read). */
export interface CspAccount {
  id?: unknown;
  csp_id?: unknown;
  name?: unknown;
  account_type?: unknown;
  state?: unknown;
  created_at?: unknown;
  sfdc_account_id?: unknown;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** Only active sandbox accounts are pool material. */
export function isActiveSandbox(account: CspAccount): boolean {
  return account.account_type === 'sandbox' && account.state === 'active';
}

/** ISO 8601 (CSP sends microseconds and `Z`) to epoch seconds; `now` when unreadable. */
export function toEpochSeconds(value: unknown, nowMs: number): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Math.floor((Number.isNaN(ms) ? nowMs : ms) / 1000);
}

/**
 * Maps an account to the domain's provider fields; undefined when it has no usable id at all
 * (such an entry can be neither allocated nor deleted).
 */
export function toProviderSandbox(
  account: CspAccount,
  nowMs = Date.now(),
): ProviderSandbox | undefined {
  const externalId = text(account.id);
  const sandboxId = text(account.csp_id) || externalId;
  if (sandboxId === '' || externalId === '') return undefined;
  const sfdc = text(account.sfdc_account_id);
  return {
    sandboxId,
    name: text(account.name) || `sandbox-${sandboxId}`,
    externalId,
    createdAt: toEpochSeconds(account.created_at, nowMs),
    sfdcAccountId: sfdc === '' ? null : sfdc,
  };
}
