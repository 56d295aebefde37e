import type { TrackQuotaRepository } from '@broker/domain';
import { aProviderPool, createInMemoryStore, FixedClock } from '@broker/domain/testing';
import type { JobContext } from '../runner/job';
import { QuotaRepairJob } from './quota-repair.job';

function ctx(stop = new AbortController()): JobContext {
  return { runId: 'r', owner: 'w:r', stop: stop.signal, abandon: new AbortController().signal };
}

async function setup() {
  const store = createInMemoryStore({
    clock: new FixedClock(),
    lease: { leaseSeconds: 3600, graceSeconds: 60 },
  });
  store.sandboxes.seed(aProviderPool(6, 'q-'));
  await store.quotas.put('lab', 5, 0);
  for (const s of ['a', 'b']) {
    await store.sandboxes.allocate({ studentId: s, idempotencyKey: s, trackName: 'lab' });
  }
  return store;
}

describe('QuotaRepairJob', () => {
  it('lowers a counter above the count only when it held still over the settle time', async () => {
    const store = await setup();
    await store.quotas.acquire('lab'); // a crash after the counter write: held 3, count 2
    const result = await new QuotaRepairJob({ quotas: store.quotas }, { settleMs: 0 }).run(ctx());
    expect(result).toEqual({ checked: 1, raised: 0, lowered: 1, skipped: 0, failed: 0 });
    expect((await store.quotas.get('lab'))?.held).toBe(2);
  });

  it('leaves a counter that moved during the settle time for the next run', async () => {
    const store = await setup();
    await store.quotas.acquire('lab'); // held 3, count 2 …
    // … and an allocation in flight takes its sandbox while the job waits.
    const moving: Pick<
      TrackQuotaRepository,
      'list' | 'get' | 'countAllocatedByTrack' | 'reconcile'
    > = {
      list: (page) => store.quotas.list(page),
      get: (track) => store.quotas.get(track),
      reconcile: (track, expected, held) => store.quotas.reconcile(track, expected, held),
      countAllocatedByTrack: jest
        .fn()
        .mockImplementationOnce(() => store.quotas.countAllocatedByTrack())
        .mockImplementationOnce(async () => {
          await store.sandboxes.allocate({ studentId: 'c', idempotencyKey: 'c', trackName: 'lab' });
          return store.quotas.countAllocatedByTrack();
        }),
    };
    const result = await new QuotaRepairJob({ quotas: moving }, { settleMs: 0 }).run(ctx());
    expect(result).toMatchObject({ lowered: 0, skipped: 1 });
    expect((await store.quotas.get('lab'))?.held).toBe(4);
  });

  it('raises a counter below the count at once, and never overwrites a concurrent change', async () => {
    const store = await setup();
    await store.quotas.release('lab'); // held 1, count 2
    const job = new QuotaRepairJob(
      {
        quotas: {
          ...pick(store.quotas),
          reconcile: async (track, expected, held) => {
            await store.quotas.acquire(track); // a concurrent allocation's counter write
            return store.quotas.reconcile(track, expected, held);
          },
        },
      },
      { settleMs: 0 },
    );
    expect(await job.run(ctx())).toMatchObject({ raised: 0, skipped: 1 });
    expect((await store.quotas.get('lab'))?.held).toBe(2);
    await store.quotas.release('lab');
    await store.quotas.release('lab'); // held 0, count 2
    const plain = new QuotaRepairJob({ quotas: store.quotas }, { settleMs: 0 });
    expect(await plain.run(ctx())).toMatchObject({ raised: 1 });
    expect((await store.quotas.get('lab'))?.held).toBe(2);
  });

  it('stops waiting when the run is stopped (shutdown)', async () => {
    const store = await setup();
    await store.quotas.acquire('lab');
    const stop = new AbortController();
    const run = new QuotaRepairJob({ quotas: store.quotas }, { settleMs: 60_000 }).run(ctx(stop));
    stop.abort();
    expect(await run).toMatchObject({ lowered: 0 });
    expect((await store.quotas.get('lab'))?.held).toBe(3);
  });
});

function pick(q: TrackQuotaRepository) {
  return {
    list: q.list.bind(q),
    get: q.get.bind(q),
    countAllocatedByTrack: q.countAllocatedByTrack.bind(q),
    reconcile: q.reconcile.bind(q),
  };
}
