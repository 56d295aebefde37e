import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { TRACK_SLUG_PATTERN } from '@broker/domain';
import { inputValidationError } from '../../common/validation/input-validation-error';

/** The `:track` path parameter: a slug as X-Instruqt-Track-ID carries it, else 400. */
export const TrackParam = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const value =
    ctx.switchToHttp().getRequest<{ params: Record<string, string> }>().params['track'] ?? '';
  if (!TRACK_SLUG_PATTERN.test(value)) {
    throw inputValidationError(
      [
        {
          field: 'track',
          message: 'must be 1-256 printable ASCII characters without spaces, ":" or ","',
        },
      ],
      'path parameter',
    );
  }
  return value;
});
