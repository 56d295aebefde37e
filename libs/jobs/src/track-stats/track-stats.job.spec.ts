import { aProviderPool } from '@broker/domain/testing';
import { jobContext, jobHarness } from '../testing/harness';
import { TrackStatsJob } from './track-stats.job';

describe('TrackStatsJob', () => {
  it('recounts allocated sandboxes per track into one snapshot, most held first', async () => {
    const accounts = aProviderPool(6, 'lab-ts-');
    const h = jobHarness(accounts);
    h.pool.seed(accounts);
    const take = (student: string, trackName?: string) =>
      h.pool.allocate({
        studentId: student,
        idempotencyKey: student,
        ...(trackName ? { trackName } : {}),
      });
    await take('a', 'dns');
    await take('b', 'ipam');
    await take('c', 'dns');
    await take('d');
    const released = await take('e', 'ipam');
    await h.pool.release(released.sandbox.sandboxId, 'e');
    const job = new TrackStatsJob({ pool: h.pool, activity: h.store.activity, clock: h.clock });
    expect(await job.run(jobContext())).toEqual({ allocated: 4, tracks: 3, written: true });
    expect(await h.store.activity.readTrackSnapshot()).toEqual({
      asOfMs: h.clock.nowMs(),
      tracks: [
        { track: 'dns', allocated: 2 },
        { track: '(none)', allocated: 1 },
        { track: 'ipam', allocated: 1 },
      ],
    });
  });

  it('writes nothing when stopped (shutdown) before the recount ends', async () => {
    const h = jobHarness();
    const stop = new AbortController();
    stop.abort();
    const job = new TrackStatsJob({ pool: h.pool, activity: h.store.activity, clock: h.clock });
    expect(await job.run(jobContext({ stop: stop.signal }))).toMatchObject({ written: false });
    expect(await h.store.activity.readTrackSnapshot()).toBeNull();
  });
});
