import { badRequestOf as errorOf } from '../../../test/testing/bad-request';
import { parseSandboxId } from './sandbox-id-param.decorator';

describe('sandbox id path parameter', () => {
  it('validates path ids', () => {
    expect(parseSandboxId('2026839')).toBe('2026839');
    const account = 'identity/accounts/3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    expect(parseSandboxId(account)).toBe(account);
    expect(errorOf(() => parseSandboxId('identity/users/x'))).toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect(errorOf(() => parseSandboxId('a/b'))).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(errorOf(() => parseSandboxId(''))).toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
