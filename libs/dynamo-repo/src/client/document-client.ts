import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface DocumentClientConfig {
  readonly region: string;
  /** Local engine or VPC endpoint; AWS's regional endpoint when absent. */
  readonly endpoint?: string | undefined;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

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
  const lowLevel = new DynamoDBClient({
    ...common,
    cacheMiddleware: true,
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: 2_000,
      requestTimeout: 5_000,
    },
  });
  // One request handler (agents, sockets) for both clients; destroying either closes it.
  const base = new DynamoDBClient({ ...common, requestHandler: lowLevel.config.requestHandler });
  dropSdkLogger(lowLevel);
  dropSdkLogger(base);
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
