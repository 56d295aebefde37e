import { BadRequestException } from '@nestjs/common';
import type { ProblemFieldError } from '@broker/platform';

/**
 * 400 VALIDATION_ERROR naming the offending inputs (`errors[]` in the problem body). The message
 * says "header" for the sandbox id path parameter too, as the original's did (lab scripts may
 * match it); newer path parameters (a quota's track) say "path parameter".
 */
export function inputValidationError(
  errors: readonly ProblemFieldError[],
  kind: 'header' | 'path parameter' = 'header',
): BadRequestException {
  const fields = [...new Set(errors.map((e) => e.field))];
  return new BadRequestException({
    code: 'VALIDATION_ERROR',
    message: `Invalid ${kind}${fields.length === 1 ? '' : 's'} ${fields.join(', ')}`,
    errors,
  });
}
