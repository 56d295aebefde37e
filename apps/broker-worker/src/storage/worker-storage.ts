import type {
  Clock,
  JobLeaseRepository,
  LeasePolicy,
  SandboxLifecycleRepository,
  SandboxRepository,
} from '@broker/domain';
import {
  createDocumentClient,
  DynamoJobLeaseRepository,
  DynamoLifecycleRepository,
  DynamoSandboxRepository,
} from '@broker/dynamo-repo';
import type { PersistenceConfig } from '@broker/platform';

/** The three ports the jobs write through, over one store. */
export interface WorkerStorage {
  readonly pool: SandboxRepository;
  readonly lifecycle: SandboxLifecycleRepository;
  readonly leases: JobLeaseRepository;
  dispose?(): void | Promise<void>;
}

/** DynamoDB (or a local engine when an endpoint is configured), one client for all three. */
export function createDynamoWorkerStorage(
  config: PersistenceConfig,
  clock: Clock,
  lease: LeasePolicy = config.lease,
): WorkerStorage {
  const client = createDocumentClient({
    region: config.region,
    endpoint: config.endpoint,
    ...(config.credentials ? { credentials: config.credentials } : {}),
  });
  const tableName = config.tableName;
  return {
    pool: new DynamoSandboxRepository({ client, tableName, clock, lease }),
    lifecycle: new DynamoLifecycleRepository({ client, tableName, clock }),
    leases: new DynamoJobLeaseRepository({ client, tableName, clock }),
    dispose: () => client.destroy(),
  };
}
