import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import {
  CONSOLE_SESSION_RESOLVER,
  type ConsoleSessionResolver,
  CSRF_HEADER,
  csrfTokenMatches,
  SESSION_COOKIE,
} from './console-session';
import type { Principal, Role } from './roles';
import { TokenVerifier } from './token-verifier';

export const AUTH_REALM = 'sandbox-broker';

type HeaderValue = string | string[] | undefined;

interface AuthRequest {
  method?: string;
  headers: Record<string, HeaderValue>;
  /** Set by @fastify/cookie when the app registers it. */
  cookies?: Record<string, string | undefined>;
  principal?: Principal;
}

/** Methods that change nothing: the only ones a viewer may use, and free of the CSRF check. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 401 whose response carries the `WWW-Authenticate` challenge (RFC 6750) for the error filter.
 * The message says what is wrong without echoing the credential.
 */
export class BearerAuthenticationError extends UnauthorizedException {
  constructor(reason: 'missing' | 'malformed' | 'invalid' | 'session') {
    const messages = {
      missing: 'A bearer token is required',
      malformed: 'The Authorization header must use the Bearer scheme',
      invalid: 'Invalid bearer token',
      session: 'The console session is unknown, expired or signed out; sign in again',
    } as const;
    const challenge =
      reason === 'invalid' || reason === 'session'
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
 *
 * Credentials: `Authorization: Bearer <token>`, or else the console's `broker_session` cookie
 * (when the app provides a ConsoleSessionResolver); with the cookie, a method other than
 * GET/HEAD/OPTIONS must carry `X-CSRF-Token` (403 CSRF_TOKEN_INVALID otherwise). A viewer is
 * read-only whatever the route's roles: any other method is 403 for it.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Optional()
    @Inject(CONSOLE_SESSION_RESOLVER)
    private readonly sessions?: ConsoleSessionResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (roles.length === 0) {
      throw new ForbiddenException({ code: 'FORBIDDEN', message: 'This route is closed' });
    }
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    if (!roles.includes(principal.role)) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: `This route requires a ${roles.join(' or ')} token`,
      });
    }
    if (principal.role === 'viewer' && !SAFE_METHODS.has(request.method ?? 'GET')) {
      throw new ForbiddenException({ code: 'FORBIDDEN', message: 'A viewer token is read-only' });
    }
    return true;
  }

  private async authenticate(request: AuthRequest): Promise<Principal> {
    const header = request.headers['authorization'];
    const sessionId = request.cookies?.[SESSION_COOKIE];
    if ((header === undefined || header === '') && this.sessions && sessionId) {
      return this.authenticateSession(request, sessionId, this.sessions);
    }
    const token = extractBearerToken(header);
    if (token === undefined) throw new BearerAuthenticationError('missing');
    if (token === null) throw new BearerAuthenticationError('malformed');
    const principal = this.verifier.verify(token);
    if (principal === null) throw new BearerAuthenticationError('invalid');
    return principal;
  }

  private async authenticateSession(
    request: AuthRequest,
    sessionId: string,
    sessions: ConsoleSessionResolver,
  ): Promise<Principal> {
    const session = await sessions.resolve(sessionId);
    if (session === null) throw new BearerAuthenticationError('session');
    if (!SAFE_METHODS.has(request.method ?? 'GET')) {
      const presented = request.headers[CSRF_HEADER];
      if (Array.isArray(presented) || !csrfTokenMatches(presented, session.csrfTokenHash)) {
        throw new ForbiddenException({
          code: 'CSRF_TOKEN_INVALID',
          message: 'A state-changing request with the session cookie needs its X-CSRF-Token',
        });
      }
    }
    return session.principal;
  }
}
