import {
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { extractBearerToken, TokenVerifier } from '@broker/auth';
import { OPERATIONAL_PATHS } from '../../common/paths';

/** Liveness, readiness and scrapes are never limited (route templates). */
export const RATE_LIMIT_EXEMPT_ROUTES: ReadonlySet<string> = new Set(OPERATIONAL_PATHS);

/** Student ids longer than this only add memory to a key; the header check rejects them anyway. */
const MAX_KEY_STUDENT_LENGTH = 256;

interface ThrottledRequest {
  headers: Record<string, string | string[] | undefined>;
  ip: string;
  routeOptions?: { url?: string };
}

function firstHeader(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/**
 * Who a request is counted against: the verified token's role and configured name plus the student
 * id header (`X-Instruqt-Sandbox-ID`, else `X-Track-ID`), so each student of a lab gets its own
 * bucket; a request without a valid token is counted against its client IP (Fastify `request.ip`,
 * which honours TRUST_PROXY; IPv6 grouped per /64). Never the raw token.
 */
export function rateLimitKey(request: ThrottledRequest, verifier: TokenVerifier): string {
  const token = extractBearerToken(request.headers['authorization']);
  const principal = typeof token === 'string' ? verifier.verify(token) : null;
  if (principal === null) return `ip:${normalizeIp(request.ip)}`;
  const student =
    firstHeader(request.headers['x-instruqt-sandbox-id']) ||
    firstHeader(request.headers['x-track-id']);
  return `${principal.role}:${principal.tokenName}|${student.slice(0, MAX_KEY_STUDENT_LENGTH)}`;
}

/**
 * @nestjs/throttler's guard with the broker's key (one bucket per caller across all routes, not
 * per route), IETF `RateLimit-*` header names, and a 429 problem+json (RATE_LIMIT_EXCEEDED) that
 * carries `Retry-After` and the RateLimit headers. Registered before the bearer guard, so bad
 * tokens are limited too (by IP).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {
    super(options, storage, reflector);
    this.headerPrefix = 'RateLimit';
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const url = context.switchToHttp().getRequest<ThrottledRequest>().routeOptions?.url;
    return Promise.resolve(url !== undefined && RATE_LIMIT_EXEMPT_ROUTES.has(url));
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(rateLimitKey(request as unknown as ThrottledRequest, this.verifier));
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reply = context.switchToHttp().getResponse<Record<string, unknown>>();
    this.setResponseHeader(reply, 'RateLimit-Limit', detail.limit);
    this.setResponseHeader(reply, 'RateLimit-Remaining', 0);
    this.setResponseHeader(reply, 'RateLimit-Reset', detail.timeToBlockExpire);
    return Promise.reject(
      new HttpException(
        {
          code: 'RATE_LIMIT_EXCEEDED',
          message: `Too many requests; retry after ${detail.timeToBlockExpire} s`,
          retryAfter: detail.timeToBlockExpire,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      ),
    );
  }
}
