import { type DynamicModule, Module } from '@nestjs/common';
import { BearerTokenGuard } from './bearer-token.guard';
import type { AuthTokens } from './token-config';
import { TokenVerifier } from './token-verifier';

export interface AuthModuleOptions {
  readonly tokens: AuthTokens;
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
      ],
      exports: [TokenVerifier, BearerTokenGuard],
    };
  }
}
