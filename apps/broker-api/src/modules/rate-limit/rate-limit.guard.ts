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
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { extractBearerToken, type Principal, TokenVerifier } from '@broker/auth';
import { ALLOCATE_ROUTE, OPERATIONAL_PATHS } from '../../common/paths';
import { type TokenLimit, TokenLimitReporter } from './token-limit-reporter';

/** Throttler names: per caller (student or IP), per token overall, per track token's allocations. */
export const THROTTLERS = {
  caller: 'default',
  token: 'token',
  allocation: 'allocation',
} as const;

/** Liveness, readiness and scrapes are never limited (route templates). */
export const RATE_LIMIT_EXEMPT_ROUTES: ReadonlySet<string> = new Set(OPERATIONAL_PATHS);

/** Student ids longer than this only add memory to a key; the header check rejects them anyway. */
const MAX_KEY_STUDENT_LENGTH = 256;

interface ThrottledRequest {
  headers: Record<string, string | string[] | undefined>;
  ip: string;
  id?: string;
  method?: string;
  routeOptions?: { url?: string };
}

/** The verified principal of a request, computed once for the three buckets. */
const principals = new WeakMap<object, Principal | null>();

function principalOf(request: ThrottledRequest, verifier: TokenVerifier): Principal | null {
  const cached = principals.get(request);
  if (cached !== undefined) return cached;
  const token = extractBearerToken(request.headers['authorization']);
  const principal = typeof token === 'string' ? verifier.verify(token) : null;
  principals.set(request, principal);
  return principal;
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
  const principal = principalOf(request, verifier);
  if (principal === null) return `ip:${normalizeIp(request.ip)}`;
  const student =
    firstHeader(request.headers['x-instruqt-sandbox-id']) ||
    firstHeader(request.headers['x-track-id']);
  return `${principal.role}:${principal.tokenName}|${student.slice(0, MAX_KEY_STUDENT_LENGTH)}`;
}

/** The original's rate-limit headers, sent as well (under an `X-` prefix). */
const LEGACY_HEADERS: ReadonlySet<string> = new Set(['RateLimit-Limit', 'RateLimit-Remaining']);

/**
 * @nestjs/throttler's guard with the broker's keys, IETF `RateLimit-*` header names, and a 429
 * problem+json (RATE_LIMIT_EXCEEDED) that carries `Retry-After` and the RateLimit headers.
 * Registered before the bearer guard, so bad tokens are limited too (by IP). Three buckets:
 * - `default`: one per caller (token name + student id, else client IP) across all routes;
 * - `token`: one per valid token across all its students (a lab script cannot multiply its
 *   budget by inventing student ids);
 * - `allocation`: POST /v1/allocate per track token, so one token cannot empty the pool; a
 *   refusal is reported (metric + event) by TokenLimitReporter.
 * Only `default` writes RateLimit headers on normal answers (one set of headers, not three).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(TokenLimitReporter) private readonly reporter: TokenLimitReporter,
  ) {
    super(options, storage, reflector);
    this.headerPrefix = 'RateLimit';
  }

  /**
   * Also `X-RateLimit-Limit` / `X-RateLimit-Remaining` (same values) next to the IETF names: the
   * original broker sent those, and lab scripts and dashboards written for it read them.
   */
  protected override setResponseHeader(
    res: Record<string, unknown>,
    name: string,
    value: string | number,
  ): void {
    super.setResponseHeader(res, name, value);
    if (LEGACY_HEADERS.has(name)) super.setResponseHeader(res, `X-${name}`, value);
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

  /** The per-token buckets apply to requests with a valid token only (others: by IP above). */
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const name = props.throttler.name ?? THROTTLERS.caller;
    if (name === THROTTLERS.caller) return super.handleRequest(props);
    const request = props.context.switchToHttp().getRequest<ThrottledRequest>();
    const principal = principalOf(request, this.verifier);
    if (principal === null) return true;
    if (
      name === THROTTLERS.allocation &&
      (principal.role !== 'track' ||
        request.method !== 'POST' ||
        request.routeOptions?.url !== ALLOCATE_ROUTE)
    ) {
      return true;
    }
    const tracker = `${principal.role}:${principal.tokenName}`;
    return super.handleRequest({
      ...props,
      getTracker: () => Promise.resolve(tracker),
      generateKey: (_context, key) => `${name}|${key}`,
    });
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reply = context.switchToHttp().getResponse<Record<string, unknown>>();
    const limit = tokenLimitOf(detail.key);
    if (limit !== undefined) {
      const request = context.switchToHttp().getRequest<ThrottledRequest>();
      const principal = principalOf(request, this.verifier);
      if (principal !== null) {
        this.reporter.limited(limit, principal.tokenName, {
          burst: detail.limit,
          retryAfterSec: detail.timeToBlockExpire,
          requestId: request.id,
        });
      }
    }
    this.setResponseHeader(reply, 'RateLimit-Limit', detail.limit);
    this.setResponseHeader(reply, 'RateLimit-Remaining', 0);
    this.setResponseHeader(reply, 'RateLimit-Reset', detail.timeToBlockExpire);
    return Promise.reject(
      new HttpException(
        {
          code: 'RATE_LIMIT_EXCEEDED',
          message:
            limit === 'allocations'
              ? `Too many allocations with this token; retry after ${detail.timeToBlockExpire} s`
              : limit === 'requests'
                ? `Too many requests with this token; retry after ${detail.timeToBlockExpire} s`
                : `Too many requests; retry after ${detail.timeToBlockExpire} s`,
          retryAfter: detail.timeToBlockExpire,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      ),
    );
  }
}

/** Which per-token bucket a throttler key belongs to (keys are `<throttler>|<tracker>`). */
function tokenLimitOf(key: string): TokenLimit | undefined {
  if (key.startsWith(`${THROTTLERS.allocation}|`)) return 'allocations';
  if (key.startsWith(`${THROTTLERS.token}|`)) return 'requests';
  return undefined;
}
