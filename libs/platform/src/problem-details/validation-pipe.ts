import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ProblemFieldError } from './problem-codes';

/** Flattens class-validator errors (nested too) into `{field, message}` pairs. */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The global pipe: whitelist, reject unknown properties, transform; errors as problem+json. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({
        code: 'VALIDATION_ERROR',
        message: 'Request validation failed',
        errors: flattenValidationErrors(errors),
      }),
  });
}
