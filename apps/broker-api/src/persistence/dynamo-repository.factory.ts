import {
  createDocumentClient,
  DynamoJobLeaseRepository,
  DynamoJobRunRepository,
  DynamoLifecycleRepository,
  DynamoSandboxRepository,
} from '@broker/dynamo-repo';
import type { RepositoryFactoryContext, RepositoryHandle } from '@broker/platform';

/** The production repository: DynamoDB (or a local engine when an endpoint is configured). */
export function createDynamoRepository({
  config,
  clock,
  lease,
}: RepositoryFactoryContext): RepositoryHandle {
  const client = createDocumentClient({
    region: config.region,
    endpoint: config.endpoint,
    ...(config.credentials ? { credentials: config.credentials } : {}),
  });
  return {
    repository: new DynamoSandboxRepository({ client, tableName: config.tableName, clock, lease }),
    jobStorage: {
      lifecycle: new DynamoLifecycleRepository({ client, tableName: config.tableName, clock }),
      leases: new DynamoJobLeaseRepository({ client, tableName: config.tableName, clock }),
      runs: new DynamoJobRunRepository({ client, tableName: config.tableName, clock }),
    },
    dispose: () => client.destroy(),
  };
}
