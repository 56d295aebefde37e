export {
  type AllocateInput,
  type Answer,
  type BrokerApi,
  type BrokerClient,
  type BrokerClientOptions,
  type ExtendView,
  createBrokerClient,
  DEFAULT_TIMEOUT_MS,
  normalizeBaseUrl,
  type ReleaseView,
  type SandboxView,
} from './client';
export type { components, operations, paths } from './generated/broker-api';
export { BrokerProblem, parseRetryAfter, type ProblemKind } from './problem';
export {
  DEFAULT_RETRY_POLICY,
  type RetryHooks,
  type RetryPolicy,
  retryDelayMs,
  sleep,
  withRetries,
} from './retry';
