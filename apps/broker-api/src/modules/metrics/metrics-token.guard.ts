import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { BearerAuthenticationError, extractBearerToken, hashToken } from '@broker/auth';

export const METRICS_AUTH = Symbol.for('broker.MetricsAuth');

export interface MetricsAuth {
  readonly token?: string | undefined;
}

/**
 * When METRICS_TOKEN is set, /metrics needs `Authorization: Bearer <it>`. Digests of equal length
 * are compared with timingSafeEqual, so the check takes the same time whatever the guess.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly digest: Buffer | undefined;

  constructor(@Inject(METRICS_AUTH) auth: MetricsAuth) {
    this.digest = auth.token === undefined ? undefined : hashToken(auth.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.digest === undefined) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const token = extractBearerToken(request.headers['authorization']);
    if (token === undefined) throw new BearerAuthenticationError('missing');
    if (token === null) throw new BearerAuthenticationError('malformed');
    if (!timingSafeEqual(hashToken(token), this.digest)) {
      throw new BearerAuthenticationError('invalid');
    }
    return true;
  }
}
