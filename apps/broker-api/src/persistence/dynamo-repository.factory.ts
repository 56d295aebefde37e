import {
  createDocumentClient,
  DynamoJobLeaseRepository,
  DynamoJobRunRepository,
  DynamoLifecycleRepository,
  DynamoSandboxAdminRepository,
  DynamoSandboxEventLog,
  DynamoSandboxRepository,
} from '@broker/dynamo-repo';
import type { RepositoryFactoryContext, RepositoryHandle } from '@broker/platform';

/** Optional observers of the repository (metrics). */
export interface RepositoryHooks {
  /** A candidate sandbox was lost to a concurrent allocation (broker_allocate_conflicts_total). */
  readonly onAllocationContention?: () => void;
}

/** The production repository: DynamoDB (or a local engine when an endpoint is configured). */
export function createDynamoRepository(
  { config, clock, lease }: RepositoryFactoryContext,
  hooks: RepositoryHooks = {},
): RepositoryHandle {
  const client = createDocumentClient({
    region: config.region,
    endpoint: config.endpoint,
    ...(config.credentials ? { credentials: config.credentials } : {}),
  });
  const repository = new DynamoSandboxRepository({
    client,
    tableName: config.tableName,
    clock,
    lease,
    ...(hooks.onAllocationContention ? { onContention: hooks.onAllocationContention } : {}),
  });
  return {
    repository,
    admin: new DynamoSandboxAdminRepository({
      client,
      tableName: config.tableName,
      clock,
      pool: repository,
    }),
    // Buffered, batched writes on the same client; flushed by PersistenceModule at shutdown.
    eventLog: new DynamoSandboxEventLog({ client, tableName: config.tableName, clock }),
    jobStorage: {
      lifecycle: new DynamoLifecycleRepository({ client, tableName: config.tableName, clock }),
      leases: new DynamoJobLeaseRepository({ client, tableName: config.tableName, clock }),
      runs: new DynamoJobRunRepository({ client, tableName: config.tableName, clock }),
    },
    dispose: () => client.destroy(),
  };
}
