import { BadRequestException } from '@nestjs/common';
import { parseSandboxId } from './sandbox-id-param.decorator';

function errorOf(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as Record<string, unknown>;
  }
  throw new Error('expected a BadRequestException');
}

describe('sandbox id path parameter', () => {
  it('validates path ids', () => {
    expect(parseSandboxId('2026839')).toBe('2026839');
    expect(errorOf(() => parseSandboxId('a/b'))).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(errorOf(() => parseSandboxId(''))).toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
