export * from './accounts/account-mapper';
export * from './csp-client';
export * from './csp-client.config';
export { describeHttpFailure } from './http/error-reason';
export { parseRetryAfter } from './http/retry-after';
export * from './http-csp-client';
