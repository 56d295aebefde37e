import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
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

/** At most this many dropped keys are listed in one answer. */
const MAX_LISTED = 10;

/**
 * ValidationPipe that also refuses the keys class-transformer drops silently before
 * `forbidNonWhitelisted` can see them: names of the instance's functions (`toString`,
 * `constructor`, `valueOf`, `hasOwnProperty`, …) and `__proto__`. Without this,
 * `?toString=1` passes a query DTO unnoticed.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Read the keys first: ValidationPipe deletes `__proto__` and `constructor` from the value.
    const keys =
      (metadata.type === 'query' || metadata.type === 'body') &&
      metadata.data === undefined &&
      typeof value === 'object' &&
      value !== null
        ? Object.keys(value)
        : [];
    const result: unknown = await super.transform(value, metadata);
    if (typeof result === 'object' && result !== null && result !== value) {
      const dropped = keys.filter((key) => !Object.prototype.hasOwnProperty.call(result, key));
      if (dropped.length > 0) {
        throw new BadRequestException({
          code: 'VALIDATION_ERROR',
          message: 'Request validation failed',
          errors: dropped
            .slice(0, MAX_LISTED)
            .map((field) => ({ field, message: `property ${field} should not exist` })),
        });
      }
    }
    return result;
  }
}

/** The global pipe: whitelist, reject unknown properties, transform; errors as problem+json. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
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
