import {
  InMemoryActivityStatsRepository,
  InMemoryConsoleSessionRepository,
} from '@broker/domain/testing';
import { HOUR_MS, hourStartOf, SandboxStatus } from '@broker/domain';
import {
  DynamoActivityStatsRepository,
  DynamoConsoleSessionRepository,
  DynamoSandboxEventLog,
} from '../src';
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

/** The event log adds its written allocate transitions to the hourly counters at each flush. */
onEachDynamoEngine((engine, endpoint) => {
  describe(`allocation counters from event-log flushes (${engine})`, () => {
    it('two logs flushing concurrently add up exactly, per hour, allocate transitions only', async () => {
      const { client, tableName } = await createTestTable(endpoint());
      clients.push(client);
      const activity = new DynamoActivityStatsRepository({ client, tableName });
      const logs = [0, 1].map(
        () => new DynamoSandboxEventLog({ client, tableName, activity, flushIntervalMs: 5 }),
      );
      const hour = hourStartOf(Date.UTC(2026, 10, 30, 9, 0, 0));
      for (let i = 0; i < 60; i += 1) {
        const log = logs[i % 2]!;
        log.record({
          type: 'transition',
          sandboxId: `sbx-${i}`,
          from: SandboxStatus.Available,
          to: SandboxStatus.Allocated,
          actor: { kind: 'student', id: `s-${i}` },
          action: 'allocate',
          // 40 in the first hour, 20 in the next one.
          atMs: hour + (i < 40 ? 1000 + i : HOUR_MS + i),
        });
        // Other events are not allocations.
        log.record({
          type: 'transition',
          sandboxId: `sbx-${i}`,
          from: SandboxStatus.Allocated,
          to: SandboxStatus.PendingDeletion,
          actor: { kind: 'student', id: `s-${i}` },
          action: 'release',
          atMs: hour + 2000 + i,
        });
      }
      await Promise.all(logs.map((log) => log.flush()));
      expect(await activity.allocationsPerHour(hour - HOUR_MS, 3)).toEqual([0, 40, 20]);
      expect(logs.map((log) => log.counters.written)).toEqual([60, 60]);
    });
  });
});
