import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CONSOLE_SESSION_RESOLVER, TokenVerifier } from '@broker/auth';
import {
  CLOCK,
  type Clock,
  CONSOLE_SESSION_REPOSITORY,
  type ConsoleSessionRepository,
} from '@broker/domain';
import { TokenBucketStorage } from '@broker/platform';
import type { ApiConfig } from '../../config/api-config';
import { ConsoleSessionController } from './console-session.controller';
import { CONSOLE_SESSIONS, SESSION_COOKIE_SECURE, SIGN_IN_LIMITER } from './console-session.tokens';
import { ConsoleSessions } from './console-sessions';

/** How the guard (AuthModule) and this module build ConsoleSessions over the store. */
export function consoleSessionsProvider(
  config: ApiConfig,
  provide: symbol = CONSOLE_SESSIONS,
): Provider {
  return {
    provide,
    inject: [CONSOLE_SESSION_REPOSITORY, CLOCK],
    useFactory: (repository: ConsoleSessionRepository, clock: Clock) =>
      new ConsoleSessions(repository, clock, config.console.sessionTtlMs),
  };
}

/** The guard's resolver: the same sessions, registered in AuthModule.forRoot. */
export function consoleSessionResolverProvider(config: ApiConfig): Provider {
  return consoleSessionsProvider(config, CONSOLE_SESSION_RESOLVER);
}

/** POST/GET/DELETE /v1/admin/session: the console's cookie sign-in (issue #14). */
@Module({})
export class ConsoleSessionModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ConsoleSessionModule,
      controllers: [ConsoleSessionController],
      providers: [
        consoleSessionsProvider(config),
        { provide: TokenVerifier, useValue: new TokenVerifier(config.auth) },
        { provide: SIGN_IN_LIMITER, useValue: new TokenBucketStorage({ maxKeys: 10_000 }) },
        {
          provide: SESSION_COOKIE_SECURE,
          useValue: config.nodeEnv !== 'development' && config.nodeEnv !== 'test',
        },
      ],
    };
  }
}
