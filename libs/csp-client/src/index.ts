export * from './accounts/account-mapper';
export * from './csp-client';
export * from './csp-client.config';
export { describeHttpFailure } from './http/error-reason';
export { parseRetryAfter } from './http/retry-after';
export * from './http-csp-client';
export * from './lab-user/lab-user-client';
export {
  LAB_PASSWORD_MAX_LENGTH,
  LAB_PASSWORD_MIN_LENGTH,
  LAB_PASSWORD_MIN_PER_CLASS,
  generateLabUserPassword,
  meetsLabPasswordPolicy,
} from './lab-user/lab-user-password';
