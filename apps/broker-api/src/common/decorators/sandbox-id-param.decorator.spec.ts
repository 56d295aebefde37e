import { badRequestOf as errorOf } from '../../../test/testing/bad-request';
import { parseSandboxId } from './sandbox-id-param.decorator';

describe('sandbox id path parameter', () => {
  it('validates path ids', () => {
    expect(parseSandboxId('2026839')).toBe('2026839');
    expect(errorOf(() => parseSandboxId('a/b'))).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(errorOf(() => parseSandboxId(''))).toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
