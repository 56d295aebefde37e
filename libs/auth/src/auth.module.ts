import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { BearerTokenGuard } from './bearer-token.guard';
import type { AuthTokens } from './token-config';
import { TokenVerifier } from './token-verifier';

export interface AuthModuleOptions {
  readonly tokens: AuthTokens;
  /**
   * Provides CONSOLE_SESSION_RESOLVER (the console's session cookie); without it only bearer
   * tokens are accepted. E.g. `{ provide: CONSOLE_SESSION_RESOLVER, inject: [...], useFactory }`.
   */
  readonly sessionResolver?: Provider;
}

/**
 * Provides the token verifier and the guard. The app registers the guard globally:
 * `{ provide: APP_GUARD, useExisting: BearerTokenGuard }`.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: TokenVerifier, useValue: new TokenVerifier(options.tokens) },
        BearerTokenGuard,
        ...(options.sessionResolver ? [options.sessionResolver] : []),
      ],
      exports: [TokenVerifier, BearerTokenGuard],
    };
  }
}
