import { externalAccountKey, isFullAccountPath } from './external-id';

describe('externalAccountKey', () => {
  const uuid = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';

  it('takes the UUID from a bare id or the full account path, lower case', () => {
    expect(externalAccountKey(uuid)).toBe(uuid.toLowerCase());
    expect(externalAccountKey(`identity/accounts/${uuid}`)).toBe(uuid.toLowerCase());
  });

  it('refuses anything else', () => {
    for (const value of ['2026839', '', `identity/users/${uuid}`, `${uuid}x`, `/${uuid}`]) {
      expect(externalAccountKey(value)).toBeNull();
    }
  });

  it('tells the full account path apart', () => {
    expect(isFullAccountPath(`identity/accounts/${uuid}`)).toBe(true);
    expect(isFullAccountPath(uuid)).toBe(false);
  });
});
