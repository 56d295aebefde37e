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
import {
  createTestTable,
  isJavaAvailable,
  startDynalite,
  startDynamoDbLocal,
} from '../src/testing';
import { lifecycleContract, type LifecycleHarnessFactory } from './lifecycle.contract';

type Engine = { endpoint: string; stop(): Promise<void> };
let engine: Engine | undefined;

beforeAll(async () => {
  engine = await startDynalite();
});
afterAll(() => engine?.stop());

function dynamoFactory(endpoint: () => string | undefined): LifecycleHarnessFactory {
  return async ({ clock, lease }) => {
    const at = endpoint();
    if (!at) throw new Error('engine not started');
    const { client, tableName } = await createTestTable(at);
    return {
      pool: new DynamoSandboxRepository({ client, tableName, clock, lease }),
      lifecycle: new DynamoLifecycleRepository({ client, tableName, clock }),
      leases: new DynamoJobLeaseRepository({ client, tableName, clock }),
      close: () => Promise.resolve(client.destroy()),
    };
  };
}

lifecycleContract(
  'dynalite',
  dynamoFactory(() => engine?.endpoint),
);

// The same code on DynamoDB Local (skipped with a notice when `java` is not on PATH).
(isJavaAvailable() ? describe : describe.skip)('DynamoDB Local engine', () => {
  let local: Engine | null = null;
  beforeAll(async () => {
    local = await startDynamoDbLocal();
  }, 60_000);
  afterAll(() => local?.stop());
  lifecycleContract(
    'DynamoDB Local',
    dynamoFactory(() => local?.endpoint),
  );
});

lifecycleContract('in-memory', ({ clock, lease }) => {
  const pool = new InMemorySandboxRepository({ clock, lease });
  return Promise.resolve({
    pool,
    lifecycle: new InMemoryLifecycleRepository(pool.store, clock),
    leases: new InMemoryJobLeaseRepository(clock),
    close: () => Promise.resolve(),
  });
});
