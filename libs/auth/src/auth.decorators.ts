import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from './roles';

export const IS_PUBLIC_KEY = 'broker:auth:public';
export const ROLES_KEY = 'broker:auth:roles';

/** Opens a route (or a whole controller) to callers without a token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Restricts a route (or a whole controller) to tokens of the given roles. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** Request property holding the authenticated principal (set by BearerTokenGuard). */
export const PRINCIPAL_PROPERTY = 'principal';

/** Injects the authenticated `{role, tokenName}` into a handler parameter. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
