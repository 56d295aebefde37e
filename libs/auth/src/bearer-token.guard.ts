import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Principal, Role } from './roles';
import { TokenVerifier } from './token-verifier';

export const AUTH_REALM = 'sandbox-broker';

type HeaderValue = string | string[] | undefined;

interface AuthRequest {
  headers: Record<string, HeaderValue>;
  principal?: Principal;
}

/**
 * 401 whose response carries the `WWW-Authenticate` challenge (RFC 6750) for the error filter.
 * The message says what is wrong without echoing the credential.
 */
export class BearerAuthenticationError extends UnauthorizedException {
  constructor(reason: 'missing' | 'malformed' | 'invalid') {
    const messages = {
      missing: 'A bearer token is required',
      malformed: 'The Authorization header must use the Bearer scheme',
      invalid: 'Invalid bearer token',
    } as const;
    const challenge =
      reason === 'invalid'
        ? `Bearer realm="${AUTH_REALM}", error="invalid_token"`
        : `Bearer realm="${AUTH_REALM}"`;
    super({ code: 'UNAUTHORIZED', message: messages[reason], wwwAuthenticate: challenge });
  }
}

/** `Bearer <token>` (scheme case-insensitive); undefined when absent, null when malformed. */
export function extractBearerToken(header: HeaderValue): string | undefined | null {
  if (header === undefined || header === '') return undefined;
  if (Array.isArray(header)) return null;
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Global guard: every route must say who may call it. `@Public()` opens a route; `@Roles(...)`
 * requires a token of one of the roles. A route with neither is refused (fail closed) — the
 * route-coverage test keeps that from happening by accident.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (roles.length === 0) {
      throw new ForbiddenException({ code: 'FORBIDDEN', message: 'This route is closed' });
    }

    const request = context.switchToHttp().getRequest<AuthRequest>();
    const token = extractBearerToken(request.headers['authorization']);
    if (token === undefined) throw new BearerAuthenticationError('missing');
    if (token === null) throw new BearerAuthenticationError('malformed');
    const principal = this.verifier.verify(token);
    if (principal === null) throw new BearerAuthenticationError('invalid');

    request.principal = principal;
    if (!roles.includes(principal.role)) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: `This route requires a ${roles.join(' or ')} token`,
      });
    }
    return true;
  }
}
