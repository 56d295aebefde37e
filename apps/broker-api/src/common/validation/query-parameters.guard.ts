import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

/** At most this many unknown names are listed in one answer (a query may carry thousands). */
const MAX_LISTED = 10;

/** Whether a handler takes a `@Query()` argument (its DTO is then checked by the global pipe). */
function readsQuery(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(
    ROUTE_ARGS_METADATA,
    context.getClass(),
    context.getHandler().name,
  ) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.QUERY));
}

/**
 * Routes without a query DTO accept no query parameters: `POST /v1/allocate?student=x` is 400
 * VALIDATION_ERROR naming the parameter instead of silently ignoring it. Routes with a DTO are
 * checked by the validation pipe (`forbidNonWhitelisted`, plus the keys class-transformer drops,
 * such as `toString` or `__proto__`). Runs after authentication.
 */
@Injectable()
export class QueryParametersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || readsQuery(context)) return true;
    const query = context.switchToHttp().getRequest<{ query?: unknown }>().query;
    const names = typeof query === 'object' && query !== null ? Object.keys(query) : [];
    if (names.length === 0) return true;
    throw new BadRequestException({
      code: 'VALIDATION_ERROR',
      message: 'This endpoint takes no query parameters',
      errors: names
        .slice(0, MAX_LISTED)
        .map((field) => ({ field, message: 'is not a query parameter of this endpoint' })),
    });
  }
}
