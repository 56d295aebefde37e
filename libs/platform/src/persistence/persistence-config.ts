import type { LeasePolicy } from '@broker/domain';
import { ConfigValidationError } from '../config/validate-env';
import type { PersistenceEnv } from '../config/base-env';

/** Typed persistence settings derived from PersistenceEnv. */
export interface PersistenceConfig {
  readonly tableName: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly lease: LeasePolicy;
  readonly pingTimeoutMs: number;
  /** Store deadlines (see DDB_* in PersistenceEnv): one attempt, connect, attempts, whole call. */
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxAttempts: number;
  readonly callBudgetMs: number;
}

export function persistenceConfigFromEnv(env: PersistenceEnv): PersistenceConfig {
  const hasKey = env.AWS_ACCESS_KEY_ID !== undefined;
  const hasSecret = env.AWS_SECRET_ACCESS_KEY !== undefined;
  if (hasKey !== hasSecret) {
    throw new ConfigValidationError([
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (or both left unset)',
    ]);
  }
  return {
    tableName: env.DDB_TABLE_NAME,
    region: env.AWS_REGION,
    ...(env.DDB_ENDPOINT_URL !== undefined ? { endpoint: env.DDB_ENDPOINT_URL } : {}),
    ...(env.AWS_ACCESS_KEY_ID !== undefined && env.AWS_SECRET_ACCESS_KEY !== undefined
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          },
        }
      : {}),
    lease: {
      leaseSeconds: env.LAB_DURATION_HOURS * 3600,
      graceSeconds: env.GRACE_PERIOD_MINUTES * 60,
    },
    pingTimeoutMs: env.DDB_PING_TIMEOUT_MS,
    requestTimeoutMs: env.DDB_REQUEST_TIMEOUT_MS,
    connectTimeoutMs: env.DDB_CONNECT_TIMEOUT_MS,
    maxAttempts: env.DDB_MAX_ATTEMPTS,
    callBudgetMs: env.DDB_CALL_BUDGET_MS,
  };
}
