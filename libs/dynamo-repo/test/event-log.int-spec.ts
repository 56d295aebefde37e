import { SandboxStatus } from '@broker/domain';
import { InMemorySandboxEventLog } from '@broker/domain/testing';
import { FixedClock } from '@broker/domain/testing';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoSandboxEventLog, eventShardOf, eventTypePk, sandboxEventsPk } from '../src';
import { createTestTable, type RunningEngine, startDynalite } from '../src/testing';
import { describeEventLogContract } from './event-log.contract';

let engine: RunningEngine;
const clients: DynamoDBDocumentClient[] = [];
const logs: DynamoSandboxEventLog[] = [];

beforeAll(async () => {
  engine = await startDynalite();
});

afterAll(async () => {
  await Promise.all(logs.map((log) => log.flush()));
  clients.forEach((client) => client.destroy());
  await engine?.stop();
});

async function dynamoLog(
  options: { flushIntervalMs?: number; retentionSeconds?: number } = {},
): Promise<{
  log: DynamoSandboxEventLog;
  clock: FixedClock;
  client: DynamoDBDocumentClient;
  tableName: string;
}> {
  const { client, tableName } = await createTestTable(engine.endpoint);
  clients.push(client);
  const clock = new FixedClock();
  const log = new DynamoSandboxEventLog({ client, tableName, clock, ...options });
  logs.push(log);
  return { log, clock, client, tableName };
}

describeEventLogContract('in-memory', () => {
  const clock = new FixedClock();
  return Promise.resolve({ log: new InMemorySandboxEventLog(clock), clock });
});
describeEventLogContract('dynalite', () => dynamoLog());

const allocate = {
  type: 'transition' as const,
  from: SandboxStatus.Available,
  to: SandboxStatus.Allocated,
  actor: { kind: 'student' as const, id: 'stu-1' },
  action: 'allocate',
};

describe('DynamoSandboxEventLog on dynalite', () => {
  it('stores the documented layout with a ttl of event time + retention', async () => {
    const { log, clock, client, tableName } = await dynamoLog({ retentionSeconds: 3600 });
    log.record({ ...allocate, sandboxId: 'sbx-9' });
    await log.flush();
    const [event] = (await log.list({ limit: 1 })).items;
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: sandboxEventsPk('sbx-9'), SK: event!.eventId },
        ConsistentRead: true,
      }),
    );
    expect(Item).toMatchObject({
      type_pk: eventTypePk('transition', eventShardOf(event!.eventId)),
      type_sk: event!.eventId,
      event_type: 'transition',
      sandbox_id: 'sbx-9',
      from_status: 'available',
      to_status: 'allocated',
      ttl: Math.floor(clock.nowMs() / 1000) + 3600,
    });
    // An event outside a sandbox lives in its own partition.
    log.record({
      type: 'admin_action',
      sandboxId: null,
      actor: { kind: 'admin', id: 'ops' },
      action: 'sync',
    });
    await log.flush();
    const [admin] = (await log.list({ limit: 1, type: 'admin_action' })).items;
    const standalone = await client.send(
      new GetCommand({ TableName: tableName, Key: { PK: `EVENT#${admin!.eventId}`, SK: 'EVENT' } }),
    );
    expect(standalone.Item?.['ttl']).toBe(Math.floor(clock.nowMs() / 1000) + 3600);
  });

  it('buffers until flushed, then writes more than 25 events in batches, spread over shards', async () => {
    // A long interval: nothing is written until flush (or a full batch) says so.
    const { log, clock, client, tableName } = await dynamoLog({ flushIntervalMs: 60_000 });
    log.record({ ...allocate, sandboxId: 'sbx-buffered' });
    expect(log.counters).toMatchObject({ buffered: 1, written: 0 });
    const raw = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': sandboxEventsPk('sbx-buffered') },
        ConsistentRead: true,
      }),
    );
    expect(raw.Items).toEqual([]);

    for (let i = 0; i < 129; i += 1) {
      clock.set(Date.UTC(2026, 10, 22) + i);
      log.record({ ...allocate, sandboxId: `sbx-${i}` });
    }
    await log.flush();
    expect(log.counters).toEqual({ written: 130, dropped: 0, failed: 0, buffered: 0 });
    const shards = new Set<number>();
    const all = (await log.list({ limit: 1000 })).items;
    all.forEach((e) => shards.add(eventShardOf(e.eventId)));
    expect(all).toHaveLength(130);
    expect(shards.size).toBeGreaterThan(4);
  });

  it('writes a full batch without waiting for the interval', async () => {
    const { log } = await dynamoLog({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 25; i += 1) log.record({ ...allocate, sandboxId: `sbx-${i}` });
    for (let i = 0; i < 200 && log.counters.written < 25; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(log.counters).toMatchObject({ written: 25, buffered: 0 });
  });

  it('drops the oldest events beyond the buffer bound and counts them', async () => {
    const { client } = await dynamoLog();
    const bounded = new DynamoSandboxEventLog({
      client,
      tableName: 'no-such-table',
      maxBuffered: 30,
      flushIntervalMs: 60_000,
    });
    // Recorded synchronously: no round can run in between, so exactly 10 fall off.
    for (let i = 0; i < 40; i += 1) bounded.record({ ...allocate, sandboxId: `sbx-${i}` });
    expect(bounded.counters).toMatchObject({ dropped: 10, buffered: 30 });
    await bounded.flush(); // no such table: the writes fail, counted, nothing thrown
    expect(bounded.counters).toMatchObject({ dropped: 10, written: 0, failed: 30, buffered: 0 });
  });

  it('never throws from record when the engine is down; failures are counted', async () => {
    const down = await startDynalite();
    const { client, tableName } = await createTestTable(down.endpoint);
    clients.push(client);
    await down.stop();
    const errors: number[] = [];
    const log = new DynamoSandboxEventLog({
      client,
      tableName,
      flushIntervalMs: 10,
      onWriteError: (_error, events) => errors.push(events),
    });
    expect(() => {
      for (let i = 0; i < 60; i += 1) log.record({ ...allocate, sandboxId: `sbx-${i}` });
    }).not.toThrow();
    await log.flush();
    expect(log.counters).toMatchObject({ written: 0, failed: 60, buffered: 0, dropped: 0 });
    expect(errors.length).toBeGreaterThan(0);
    await expect(log.list({ limit: 5 })).rejects.toThrow();
  });
});
