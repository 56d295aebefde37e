import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { TokenVerifier } from '@broker/auth';
import { TokenBucketStorage } from '@broker/platform';
import type { ApiConfig } from '../../config/api-config';
import { RateLimitGuard, THROTTLERS } from './rate-limit.guard';
import { TokenLimitReporter } from './token-limit-reporter';

/**
 * Token buckets in a bounded LRU (RATE_LIMIT_MAX_KEYS): per caller (RATE_LIMIT_BURST refilled at
 * RATE_LIMIT_PER_SEC), per token overall (TOKEN_RATE_LIMIT_*), and allocations per track token
 * (ALLOCATION_LIMIT_BURST refilled at ALLOCATION_LIMIT_PER_MIN). The app registers RateLimitGuard
 * as the first APP_GUARD.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: ApiConfig): DynamicModule {
    const { perSec, burst, maxKeys, token, allocation } = config.rateLimit;
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          // Read by TokenBucketStorage as: `limit` tokens, refilled at `limit` per `ttl` ms.
          throttlers: [
            { name: THROTTLERS.caller, limit: burst, ttl: (burst / perSec) * 1000 },
            {
              name: THROTTLERS.token,
              limit: token.burst,
              ttl: (token.burst / token.perSec) * 1000,
              setHeaders: false,
            },
            {
              name: THROTTLERS.allocation,
              limit: allocation.burst,
              ttl: (allocation.burst / (allocation.perMin / 60)) * 1000,
              setHeaders: false,
            },
          ],
          storage: new TokenBucketStorage({ maxKeys }),
        }),
      ],
      providers: [
        { provide: TokenVerifier, useValue: new TokenVerifier(config.auth) },
        TokenLimitReporter,
        RateLimitGuard,
      ],
      exports: [RateLimitGuard],
    };
  }
}
