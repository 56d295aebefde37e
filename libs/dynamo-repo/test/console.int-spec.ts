import {
  InMemoryActivityStatsRepository,
  InMemoryConsoleSessionRepository,
} from '@broker/domain/testing';
import { DynamoActivityStatsRepository, DynamoConsoleSessionRepository } from '../src';
import { createTestTable } from '../src/testing';
import { type ConsoleFactory, consoleContract } from './console.contract';
import { onEachDynamoEngine } from './engines';

const clients: { destroy(): void }[] = [];
afterAll(() => clients.forEach((client) => client.destroy()));

function dynamoFactory(endpoint: () => string): ConsoleFactory {
  return async () => {
    const { client, tableName } = await createTestTable(endpoint());
    clients.push(client);
    return {
      sessions: new DynamoConsoleSessionRepository({ client, tableName }),
      otherSessions: new DynamoConsoleSessionRepository({ client, tableName }),
      activity: new DynamoActivityStatsRepository({ client, tableName }),
      otherActivity: new DynamoActivityStatsRepository({ client, tableName }),
    };
  };
}

consoleContract('in-memory', () => {
  const sessions = new InMemoryConsoleSessionRepository();
  const activity = new InMemoryActivityStatsRepository();
  return Promise.resolve({
    sessions,
    otherSessions: sessions,
    activity,
    otherActivity: activity,
  });
});

onEachDynamoEngine((engine, endpoint) => consoleContract(engine, dynamoFactory(endpoint)));
