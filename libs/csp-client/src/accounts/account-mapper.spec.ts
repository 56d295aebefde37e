import { isActiveSandbox, toEpochSeconds, toProviderSandbox } from './account-mapper';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('toProviderSandbox', () => {
  it('maps the CSP fields to the domain fields', () => {
    expect(
      toProviderSandbox(
        {
          id: 'identity/accounts/3f1c',
          csp_id: 2000001,
          name: 'lab-demo-0001',
          account_type: 'sandbox',
          state: 'active',
          created_at: '2025-10-04T12:34:56.123456Z',
          sfdc_account_id: '001SAND15956299f9d',
        },
        NOW,
      ),
    ).toEqual({
      sandboxId: '2000001',
      name: 'lab-demo-0001',
      externalId: 'identity/accounts/3f1c',
      createdAt: 1759581296,
      sfdcAccountId: '001SAND15956299f9d',
    });
  });

  it('falls back: id for sandboxId, sandbox-<id> for name, null sfdc, now for a bad date', () => {
    expect(
      toProviderSandbox(
        { id: 'identity/accounts/x', sfdc_account_id: '', created_at: 'never' },
        NOW,
      ),
    ).toEqual({
      sandboxId: 'identity/accounts/x',
      name: 'sandbox-identity/accounts/x',
      externalId: 'identity/accounts/x',
      createdAt: NOW / 1000,
      sfdcAccountId: null,
    });
    expect(
      toProviderSandbox({ id: 'a', csp_id: 7, sfdc_account_id: null }, NOW)?.sfdcAccountId,
    ).toBeNull();
    expect(toProviderSandbox({ id: 'a', csp_id: '12' }, NOW)?.name).toBe('sandbox-12');
  });

  it('skips an entry without an external id', () => {
    expect(toProviderSandbox({ csp_id: 5, name: 'x' }, NOW)).toBeUndefined();
  });
});

describe('isActiveSandbox', () => {
  it.each([
    [{ account_type: 'sandbox', state: 'active' }, true],
    [{ account_type: 'sandbox', state: 'inactive' }, false],
    [{ account_type: 'sandbox', state: 'deleting' }, false],
    [{ account_type: 'enterprise', state: 'active' }, false],
    [{}, false],
  ])('%j -> %s', (account, expected) => {
    expect(isActiveSandbox(account)).toBe(expected);
  });
});

describe('toEpochSeconds', () => {
  it('truncates to whole seconds', () => {
    expect(toEpochSeconds('1970-01-01T00:00:01.999999Z', NOW)).toBe(1);
  });
});
