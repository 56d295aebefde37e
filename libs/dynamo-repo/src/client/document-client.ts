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

/**
 * A DocumentClient with keep-alive sockets (the SDK's CPU per call is the allocation budget, and
 * new connections cost more) and `removeUndefinedValues`, so optional attributes are simply absent.
 */
export function createDocumentClient(config: DocumentClientConfig): DynamoDBDocumentClient {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const credentials = config.credentials ?? (config.endpoint ? LOCAL_CREDENTIALS : undefined);
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: 2_000,
      requestTimeout: 5_000,
    },
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
