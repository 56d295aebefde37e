import {
  InMemoryJobLeaseRepository,
  InMemoryLifecycleRepository,
  InMemorySandboxRepository,
} from '@broker/domain/testing';
import {
  DynamoJobLeaseRepository,
  DynamoLifecycleRepository,
  DynamoSandboxRepository,
} from '../src';
import { createTestTable } from '../src/testing';
import { onEachDynamoEngine } from './engines';
import { lifecycleContract, type LifecycleHarnessFactory } from './lifecycle.contract';

function dynamoFactory(endpoint: () => string): LifecycleHarnessFactory {
  return async ({ clock, lease }) => {
    const { client, tableName } = await createTestTable(endpoint());
    return {
      pool: new DynamoSandboxRepository({ client, tableName, clock, lease }),
      lifecycle: new DynamoLifecycleRepository({ client, tableName, clock }),
      leases: new DynamoJobLeaseRepository({ client, tableName, clock }),
      close: () => Promise.resolve(client.destroy()),
    };
  };
}

onEachDynamoEngine((engine, endpoint) => lifecycleContract(engine, dynamoFactory(endpoint)));

lifecycleContract('in-memory', ({ clock, lease }) => {
  const pool = new InMemorySandboxRepository({ clock, lease });
  return Promise.resolve({
    pool,
    lifecycle: new InMemoryLifecycleRepository(pool.store, clock),
    leases: new InMemoryJobLeaseRepository(clock),
    close: () => Promise.resolve(),
  });
});
