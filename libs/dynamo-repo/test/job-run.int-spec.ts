import { InMemoryJobRunRepository } from '@broker/domain/testing';
import { DynamoJobRunRepository } from '../src';
import {
  createTestTable,
  isJavaAvailable,
  startDynalite,
  startDynamoDbLocal,
} from '../src/testing';
import { jobRunContract, type JobRunFactory } from './job-run.contract';

type Engine = { endpoint: string; stop(): Promise<void> };
let engine: Engine | undefined;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  engine = await startDynalite();
});
afterAll(async () => {
  clients.forEach((client) => client.destroy());
  await engine?.stop();
});

function dynamoFactory(endpoint: () => string | undefined): JobRunFactory {
  return async (clock) => {
    const at = endpoint();
    if (!at) throw new Error('engine not started');
    const { client, tableName } = await createTestTable(at);
    clients.push(client);
    return {
      runs: new DynamoJobRunRepository({ client, tableName, clock }),
      other: new DynamoJobRunRepository({ client, tableName, clock }),
    };
  };
}

jobRunContract('in-memory', (clock) => {
  const runs = new InMemoryJobRunRepository(clock);
  return Promise.resolve({ runs, other: runs });
});

jobRunContract(
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
  jobRunContract(
    'DynamoDB Local',
    dynamoFactory(() => local?.endpoint),
  );
});
