import { SandboxStatus } from '@broker/domain';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoSandboxEventLog } from './dynamo-sandbox-event-log';

type Requests = { PutRequest: { Item: Record<string, unknown> } }[];

/** A stand-in client (unit test of the retry logic only; the engine behaviour is in test/). */
function fakeClient(answer: (requests: Requests, call: number) => Requests) {
  const calls: number[] = [];
  const client = {
    send: (command: unknown) => {
      if (!(command instanceof BatchWriteCommand)) throw new Error('unexpected command');
      const requests = command.input.RequestItems!['t'] as unknown as Requests;
      calls.push(requests.length);
      const unprocessed = answer(requests, calls.length);
      return Promise.resolve({ UnprocessedItems: unprocessed.length ? { t: unprocessed } : {} });
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}

const event = (i: number) => ({
  type: 'transition' as const,
  sandboxId: `sbx-${i}`,
  from: SandboxStatus.Allocated,
  to: SandboxStatus.PendingDeletion,
  actor: { kind: 'job' as const, id: 'expiry' },
  action: 'expire',
});

describe('DynamoSandboxEventLog write path', () => {
  it('re-sends UnprocessedItems until they are accepted', async () => {
    // First call leaves 10 of 25 unprocessed, the retry leaves 3, the next takes all.
    const { client, calls } = fakeClient((requests, call) =>
      call === 1 ? requests.slice(0, 10) : call === 2 ? requests.slice(0, 3) : [],
    );
    const log = new DynamoSandboxEventLog({ client, tableName: 't', retryBaseMs: 1 });
    for (let i = 0; i < 30; i += 1) log.record(event(i));
    await log.flush();
    expect(calls).toEqual([25, 10, 3, 5]);
    expect(log.counters).toEqual({ written: 30, dropped: 0, failed: 0, buffered: 0 });
  });

  it('keeps items still unprocessed after maxAttempts for later rounds; flush gives up after three', async () => {
    const { client, calls } = fakeClient((requests) => requests.slice(0, 2));
    const errors: number[] = [];
    const log = new DynamoSandboxEventLog({
      client,
      tableName: 't',
      retryBaseMs: 1,
      maxAttempts: 3,
      onWriteError: (_error, events) => errors.push(events),
    });
    for (let i = 0; i < 5; i += 1) log.record(event(i));
    await log.flush();
    // Not lost after one round (issue #12 §3): re-sent in two more rounds, then given up at flush.
    expect(calls).toEqual([5, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(log.counters).toEqual({ written: 3, dropped: 0, failed: 2, buffered: 0 });
    expect(errors).toEqual([2, 2, 2]);
  });

  it('never throws from record, even when the clock does', () => {
    const log = new DynamoSandboxEventLog({
      client: fakeClient(() => []).client,
      tableName: 't',
      clock: {
        nowMs: () => {
          throw new Error('clock broke');
        },
      },
    });
    expect(() => log.record(event(1))).not.toThrow();
    expect(log.counters.dropped).toBe(1);
  });
});
