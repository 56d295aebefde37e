import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { TokenVerifier } from '@broker/auth';
import { TokenBucketStorage } from '@broker/platform';
import type { ApiConfig } from '../../config/api-config';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * A token bucket per caller: RATE_LIMIT_BURST tokens refilled at RATE_LIMIT_PER_SEC, held in a
 * bounded LRU (RATE_LIMIT_MAX_KEYS). The app registers RateLimitGuard as the first APP_GUARD.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: ApiConfig): DynamicModule {
    const { perSec, burst, maxKeys } = config.rateLimit;
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          // Read by TokenBucketStorage as: `limit` tokens, refilled at `limit` per `ttl` ms.
          throttlers: [{ name: 'default', limit: burst, ttl: (burst / perSec) * 1000 }],
          storage: new TokenBucketStorage({ maxKeys }),
        }),
      ],
      providers: [
        { provide: TokenVerifier, useValue: new TokenVerifier(config.auth) },
        RateLimitGuard,
      ],
      exports: [RateLimitGuard],
    };
  }
}
