import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { addStoreDeadline } from './store-deadline';

export interface DocumentClientConfig {
  readonly region: string;
  /** Local engine or VPC endpoint; AWS's regional endpoint when absent. */
  readonly endpoint?: string | undefined;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Deadline of one attempt, request sent to answer read (ms); its socket is destroyed past it. */
  readonly requestTimeoutMs?: number;
  /** Deadline to open a connection (ms). */
  readonly connectTimeoutMs?: number;
  /** Attempts per call: the SDK retries throttling, 5xx and network failures. */
  readonly maxAttempts?: number;
  /** Budget of a whole call, every attempt and back-off included (ms). */
  readonly callBudgetMs?: number;
}

/** Defaults of the store's deadlines (see README: a stalled store is a prompt 503, not a hang). */
export const STORE_DEADLINES = {
  requestTimeoutMs: 3_000,
  connectTimeoutMs: 1_000,
  maxAttempts: 3,
  callBudgetMs: 5_000,
} as const;

/** Credentials local engines accept; they never reach AWS (an endpoint is required for them). */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Sockets per agent (the default agent has 50; one engine serves them one at a time anyway). */
const MAX_SOCKETS = 64;

/** The low-level client that shares each document client's sockets (see `lowLevelClientOf`). */
const lowLevelClients = new WeakMap<DynamoDBDocumentClient, DynamoDBClient>();

/**
 * The SDK's logger middleware builds a sensitive-data-filtered copy of every input and output
 * for its logger even when that logger is a no-op (≈ 5% of a call's CPU here). The broker never
 * gives the SDK a logger, so the middleware only costs.
 */
function dropSdkLogger(client: DynamoDBClient): void {
  client.middlewareStack.remove('loggerMiddleware');
}

/**
 * Middlewares the hot path does without (≈ 12–15% of the client CPU per call, measured with
 * scripts/bench/engine-probe.mjs): the user-agent middleware rebuilds and escapes the SDK's
 * user-agent string and feature flags on every call, and recursion detection only adds a trace
 * header inside AWS Lambda. DynamoDB needs neither; signing, retries and endpoint resolution stay.
 */
export const HOT_PATH_DROPPED_MIDDLEWARE = [
  'getUserAgentMiddleware',
  'recursionDetectionMiddleware',
] as const;

/**
 * A DocumentClient with keep-alive sockets (the SDK's CPU per call is the allocation budget, and
 * new connections cost more) and `removeUndefinedValues`, so optional attributes are simply absent.
 *
 * It comes with a low-level `DynamoDBClient` on the same sockets (`lowLevelClientOf`) created
 * with `cacheMiddleware: true`: it resolves each command type's middleware stack once instead of
 * on every call, about a quarter less client CPU per call (measured in bench/README.md). The
 * DocumentClient refuses that option, so hot paths send low-level commands on that client and
 * marshal values themselves.
 */
export function createDocumentClient(config: DocumentClientConfig): DynamoDBDocumentClient {
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
  const credentials = config.credentials ?? (config.endpoint ? LOCAL_CREDENTIALS : undefined);
  const common = {
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
  const requestTimeoutMs = config.requestTimeoutMs ?? STORE_DEADLINES.requestTimeoutMs;
  const lowLevel = new DynamoDBClient({
    ...common,
    cacheMiddleware: true,
    maxAttempts: config.maxAttempts ?? STORE_DEADLINES.maxAttempts,
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: config.connectTimeoutMs ?? STORE_DEADLINES.connectTimeoutMs,
      // Enforced: without throwOnRequestTimeout this SDK only logs a warning and waits on.
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  // One request handler (agents, sockets) for both clients; destroying either closes it.
  const base = new DynamoDBClient({
    ...common,
    maxAttempts: config.maxAttempts ?? STORE_DEADLINES.maxAttempts,
    requestHandler: lowLevel.config.requestHandler,
  });
  dropSdkLogger(lowLevel);
  dropSdkLogger(base);
  const budgetMs = config.callBudgetMs ?? STORE_DEADLINES.callBudgetMs;
  for (const client of [lowLevel, base]) addStoreDeadline(client, budgetMs);
  for (const name of HOT_PATH_DROPPED_MIDDLEWARE) lowLevel.middlewareStack.remove(name);
  const document = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  lowLevelClients.set(document, lowLevel);
  return document;
}

/**
 * The low-level client paired with `client` by `createDocumentClient` (cached middleware, same
 * sockets). For a DocumentClient built elsewhere, the DocumentClient itself: it sends low-level
 * commands unchanged (its marshalling is attached by its own command classes only).
 */
export function lowLevelClientOf(client: DynamoDBDocumentClient): DynamoDBClient {
  return lowLevelClients.get(client) ?? client;
}
