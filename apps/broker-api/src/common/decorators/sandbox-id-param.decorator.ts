import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { SANDBOX_ID_PATTERN } from '@broker/domain';
import { inputValidationError } from '../validation/input-validation-error';

export function parseSandboxId(value: string): string {
  if (!SANDBOX_ID_PATTERN.test(value)) {
    throw inputValidationError([
      { field: 'sandbox_id', message: 'must be 1-128 characters of [A-Za-z0-9._:-]' },
    ]);
  }
  return value;
}

/** The `:id` path parameter, validated against SANDBOX_ID_PATTERN. */
export const SandboxIdParam = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseSandboxId(
    ctx.switchToHttp().getRequest<{ params: Record<string, string> }>().params['id'] ?? '',
  ),
);
