import { InMemoryJobRunRepository } from '@broker/domain/testing';
import { DynamoJobRunRepository } from '../src';
import { createTestTable } from '../src/testing';
import { onEachDynamoEngine } from './engines';
import { jobRunContract, type JobRunFactory } from './job-run.contract';

const clients: { destroy(): void }[] = [];
afterAll(() => clients.forEach((client) => client.destroy()));

function dynamoFactory(endpoint: () => string): JobRunFactory {
  return async (clock) => {
    const { client, tableName } = await createTestTable(endpoint());
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

onEachDynamoEngine((engine, endpoint) => jobRunContract(engine, dynamoFactory(endpoint)));
