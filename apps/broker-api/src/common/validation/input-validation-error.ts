import { BadRequestException } from '@nestjs/common';
import type { ProblemFieldError } from '@broker/platform';

/**
 * 400 VALIDATION_ERROR naming the offending inputs (`errors[]` in the problem body). The message
 * says "header" for path parameters too (e.g. `sandbox_id`), as it always has.
 */
export function inputValidationError(errors: readonly ProblemFieldError[]): BadRequestException {
  const fields = [...new Set(errors.map((e) => e.field))];
  return new BadRequestException({
    code: 'VALIDATION_ERROR',
    message: `Invalid ${fields.length === 1 ? 'header' : 'headers'} ${fields.join(', ')}`,
    errors,
  });
}
