import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SANDBOX_STORE, type StoreHealth } from '@broker/domain';
import { PERSISTENCE_CONFIG } from './persistence.tokens';
import type { PersistenceConfig } from './persistence-config';

/** Readiness check: one cheap round-trip to the table, bounded by a short timeout. */
@Injectable()
export class RepositoryHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(SANDBOX_STORE) private readonly store: StoreHealth,
    @Inject(PERSISTENCE_CONFIG) private readonly config: PersistenceConfig,
  ) {}

  async check(key = 'dynamodb'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.config.pingTimeoutMs} ms`)),
        this.config.pingTimeoutMs,
      );
    });
    try {
      await Promise.race([this.store.ping(), timeout]);
      return session.up();
    } catch (error) {
      // Name the failure class only; engine messages can carry internal detail.
      const reason =
        error instanceof Error && error.message.startsWith('no answer')
          ? error.message
          : 'unreachable';
      return session.down({ message: reason });
    } finally {
      clearTimeout(timer);
    }
  }
}
