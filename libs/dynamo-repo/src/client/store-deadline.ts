import { StoreUnavailableError } from '@broker/domain';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Service errors that mean "the store cannot serve now": retryable, answered 503. */
const UNAVAILABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
]);

/**
 * The store's failure as the domain sees it: a transport failure (refused, reset, timed out,
 * aborted — no HTTP answer at all), a 5xx or a throttling answer after the SDK's retries is a
 * StoreUnavailableError; anything else (a refused condition, a validation error, a missing
 * table) is returned as it is.
 */
export function asStoreFailure(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  const status = meta?.httpStatusCode;
  const name = (error as { name?: unknown } | null)?.name;
  const unavailable =
    status === undefined ||
    status >= 500 ||
    (typeof name === 'string' && UNAVAILABLE_ERRORS.has(name));
  if (!unavailable) return error;
  const reason = typeof name === 'string' ? name : 'Error';
  return new StoreUnavailableError(status === undefined ? `${reason}, no answer` : reason, {
    cause: error,
  });
}

/**
 * Adds the outermost middleware of every call (it wraps the SDK's retries): the whole call, every
 * attempt and back-off included, must end within `budgetMs`, else it fails with
 * StoreUnavailableError (the attempt in flight still ends at the request handler's own deadline,
 * which frees its socket). Transport and 5xx failures become StoreUnavailableError too.
 */
export function addStoreDeadline(client: DynamoDBClient, budgetMs: number): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StoreUnavailableError(`no answer within ${budgetMs} ms`)),
          budgetMs,
        );
        timer.unref();
      });
      try {
        return await Promise.race([next(args), deadline]);
      } catch (error) {
        throw asStoreFailure(error);
      } finally {
        clearTimeout(timer);
      }
    },
    { step: 'initialize', priority: 'high', name: STORE_DEADLINE_MIDDLEWARE },
  );
}

export const STORE_DEADLINE_MIDDLEWARE = 'brokerStoreDeadline';
