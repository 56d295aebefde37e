import type { Clock, JobRunRepository, LeasePolicy } from '@broker/domain';
import type { JobStorage } from '@broker/jobs';
import {
  createDocumentClient,
  DynamoJobLeaseRepository,
  DynamoJobRunRepository,
  DynamoLifecycleRepository,
  DynamoSandboxEventLog,
  DynamoSandboxRepository,
} from '@broker/dynamo-repo';
import type { PersistenceConfig } from '@broker/platform';

/** The ports the jobs write through, over one store, and how to release it. */
export interface WorkerStorage extends JobStorage {
  /** Run records and requests (admin triggers); without it the worker serves no run requests. */
  readonly runs?: JobRunRepository;
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
  const events = new DynamoSandboxEventLog({ client, tableName, clock });
  return {
    pool: new DynamoSandboxRepository({ client, tableName, clock, lease }),
    lifecycle: new DynamoLifecycleRepository({ client, tableName, clock }),
    leases: new DynamoJobLeaseRepository({ client, tableName, clock }),
    runs: new DynamoJobRunRepository({ client, tableName, clock }),
    // Every transition a job makes is in the event log, buffered and batch-written.
    events,
    dispose: async () => {
      await events.flush();
      client.destroy();
    },
  };
}
