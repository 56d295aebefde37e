import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { normalizeIp } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CSRF_HEADER,
  csrfTokenMatches,
  csrfTokenOf,
  Public,
  SESSION_COOKIE,
  TokenVerifier,
} from '@broker/auth';
import type { ConsoleSessionRecord } from '@broker/domain';
import type { TokenBucketStorage } from '@broker/platform';
import { ProblemDto } from '../../common/dto/problem.dto';
import { CONSOLE_SESSIONS, SIGN_IN_LIMITER, SESSION_COOKIE_SECURE } from './console-session.tokens';
import type { ConsoleSessions } from './console-sessions';
import { SessionDto, SignInBodyDto } from './dto/session.dto';

/** Sign-in attempts per client IP: a bucket of this many, refilled over a minute. */
export const SIGN_IN_BURST = 20;
const SIGN_IN_WINDOW_MS = 60_000;

/**
 * The console's sign-in: an admin or viewer token, pasted once, is exchanged for an HttpOnly,
 * SameSite=Strict session cookie; the token itself is never stored, logged or put in a URL.
 * Public routes: they authenticate by the body (sign-in) or the cookie themselves.
 */
@ApiTags('Admin: console session')
@Controller('admin/session')
export class ConsoleSessionController {
  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(CONSOLE_SESSIONS) private readonly sessions: ConsoleSessions,
    @Inject(SIGN_IN_LIMITER) private readonly limiter: TokenBucketStorage,
    @Inject(SESSION_COOKIE_SECURE) private readonly secureCookie: boolean,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign in: exchange an admin or viewer token for a session cookie',
    description:
      'Sets `broker_session` (HttpOnly, SameSite=Strict, Path=/, Max-Age = ' +
      'CONSOLE_SESSION_TTL_MINUTES, Secure outside development and test). The answer carries ' +
      'the csrf_token to send as `X-CSRF-Token` on state-changing requests made with the ' +
      `cookie. At most ${SIGN_IN_BURST} attempts per minute per client IP.`,
  })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_ERROR (token missing)' })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'UNAUTHORIZED: Invalid token' })
  @ApiTooManyRequestsResponse({ type: ProblemDto, description: 'RATE_LIMIT_EXCEEDED' })
  async signIn(
    @Body() body: SignInBodyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    this.limitAttempts(request, reply);
    const principal = this.verifier.verify(body.token);
    // A track token opens no console: the same answer as an unknown token.
    if (principal === null || (principal.role !== 'admin' && principal.role !== 'viewer')) {
      throw new UnauthorizedException({ code: 'UNAUTHORIZED', message: 'Invalid token' });
    }
    const opened = await this.sessions.open({ ...principal, role: principal.role });
    void reply.setCookie(SESSION_COOKIE, opened.sessionId, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      maxAge: this.sessions.ttlSeconds,
      secure: this.secureCookie,
    });
    return toSessionDto(opened.record, opened.csrfToken);
  }

  @Get()
  @Public()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'The current console session (same csrf_token as at sign-in)' })
  @ApiOkResponse({ type: SessionDto })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'No, expired or revoked session' })
  async current(@Req() request: FastifyRequest): Promise<SessionDto> {
    const { sessionId, record } = await this.requireSession(request);
    return toSessionDto(record, csrfTokenOf(sessionId));
  }

  @Delete()
  @Public()
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Sign out: revokes the session (cookie + X-CSRF-Token)' })
  @ApiNoContentResponse({ description: 'Revoked; the cookie is cleared' })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'No, expired or revoked session' })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'CSRF_TOKEN_INVALID' })
  async signOut(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { sessionId, record } = await this.requireSession(request);
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !csrfTokenMatches(presented, record.csrfTokenHash)) {
      throw new ForbiddenException({
        code: 'CSRF_TOKEN_INVALID',
        message: 'Signing out with the session cookie needs its X-CSRF-Token',
      });
    }
    await this.sessions.close(sessionId);
    void reply.clearCookie(SESSION_COOKIE, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: this.secureCookie,
    });
  }

  private async requireSession(
    request: FastifyRequest,
  ): Promise<{ sessionId: string; record: ConsoleSessionRecord }> {
    const sessionId = request.cookies[SESSION_COOKIE];
    const record = sessionId ? await this.sessions.find(sessionId) : null;
    if (!sessionId || record === null) {
      throw new UnauthorizedException({
        code: 'UNAUTHORIZED',
        message: 'No console session; sign in with an admin or viewer token',
      });
    }
    return { sessionId, record };
  }

  private limitAttempts(request: FastifyRequest, reply: FastifyReply): void {
    const taken = this.limiter.take(
      `sign-in:${normalizeIp(request.ip)}`,
      SIGN_IN_WINDOW_MS,
      SIGN_IN_BURST,
    );
    if (!taken.isBlocked) return;
    void reply.header('Retry-After', String(taken.timeToBlockExpire));
    throw new HttpException(
      {
        code: 'RATE_LIMIT_EXCEEDED',
        message: `Too many sign-in attempts; retry after ${taken.timeToBlockExpire} s`,
        retryAfter: taken.timeToBlockExpire,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

function toSessionDto(record: ConsoleSessionRecord, csrfToken: string): SessionDto {
  return {
    role: record.role,
    token_name: record.tokenName,
    expires_at: new Date(record.expiresAtMs).toISOString(),
    csrf_token: csrfToken,
  };
}
