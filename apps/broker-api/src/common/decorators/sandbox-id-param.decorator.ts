import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { isFullAccountPath, SANDBOX_ID_PATTERN } from '@broker/domain';
import { inputValidationError } from '../validation/input-validation-error';

export function parseSandboxId(value: string): string {
  if (!SANDBOX_ID_PATTERN.test(value) && !isFullAccountPath(value)) {
    throw inputValidationError([
      {
        field: 'sandbox_id',
        message: 'must be 1-128 characters of [A-Za-z0-9._:-] or identity/accounts/<uuid>',
      },
    ]);
  }
  return value;
}

/**
 * The `:id` path parameter: a broker id (SANDBOX_ID_PATTERN) or a provider account path
 * `identity/accounts/<uuid>` (sent URL-encoded; the router decodes it).
 */
export const SandboxIdParam = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseSandboxId(
    ctx.switchToHttp().getRequest<{ params: Record<string, string> }>().params['id'] ?? '',
  ),
);
