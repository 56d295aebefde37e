import { FixedClock } from '@broker/domain/testing';
import { TrackQuotaExceededError } from '@broker/domain';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTrackQuotas } from './dynamo-track-quotas';

/** A refused conditional write, as the SDK throws it. */
function refused(): Error {
  return Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });
}

/** A store whose counter item is `item` (null: the track has no quota), counting every call. */
function setup(item: Record<string, unknown> | null) {
  const clock = new FixedClock(Date.UTC(2026, 10, 22));
  const fast = { send: jest.fn(() => Promise.reject(refused())) };
  const client = { send: jest.fn(() => Promise.resolve({ Item: item ?? undefined })) };
  const quotas = new DynamoTrackQuotas({
    table: {
      client: client as unknown as DynamoDBDocumentClient,
      fast: fast as unknown as DynamoDBClient,
      tableName: 't',
    },
    clock,
    presenceTtlMs: 5_000,
  });
  return {
    clock,
    fast,
    client,
    quotas,
    calls: () => fast.send.mock.calls.length + client.send.mock.calls.length,
  };
}

describe('DynamoTrackQuotas: the cost of a track without a quota', () => {
  it('asks once, then skips the counter on allocation and release until the TTL passes', async () => {
    const { clock, quotas, calls } = setup(null);
    expect(await quotas.acquire('free-lab')).toBe('unlimited');
    expect(calls()).toBe(2); // the refused UpdateItem and the GetItem that explains it
    for (let i = 0; i < 100; i += 1) {
      expect(await quotas.acquire('free-lab')).toBe('unlimited');
      await quotas.release('free-lab');
    }
    expect(calls()).toBe(2);
    clock.advanceSeconds(6);
    expect(await quotas.acquire('free-lab')).toBe('unlimited');
    expect(calls()).toBe(4);
  });

  it('releases alone (the allocations were long ago or elsewhere) also learn the track has none', async () => {
    const { quotas, calls } = setup(null);
    for (let i = 0; i < 100; i += 1) await quotas.release('free-lab');
    expect(calls()).toBe(2); // one refused UpdateItem and one GetItem, then the cache
    expect(await quotas.acquire('free-lab')).toBe('unlimited');
    expect(calls()).toBe(2);
  });

  it('a refused release on a track with a quota (counter at 0) is never cached', async () => {
    const { quotas, fast } = setup({ track: 'q-lab', max_allocated: 2, held: 0 });
    for (let i = 0; i < 3; i += 1) await quotas.release('q-lab');
    expect(fast.send).toHaveBeenCalledTimes(3);
  });

  it('never caches a quota: a full track is asked every time and answers with its facts', async () => {
    const { quotas, fast } = setup({ track: 'full-lab', max_allocated: 2, held: 2 });
    for (let i = 0; i < 3; i += 1) {
      const error = await quotas.acquire('full-lab').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrackQuotaExceededError);
      expect((error as TrackQuotaExceededError).quota).toEqual({
        track: 'full-lab',
        max_allocated: 2,
        held: 2,
      });
    }
    expect(fast.send).toHaveBeenCalledTimes(3);
  });
});
