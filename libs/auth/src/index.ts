export * from './auth.decorators';
export * from './auth.module';
export * from './bearer-token.guard';
export * from './roles';
export * from './token-config';
export * from './token-hash';
export * from './token-verifier';
export * from './console-session';
