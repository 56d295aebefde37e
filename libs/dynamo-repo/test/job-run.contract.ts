import type { JobRunRecord, JobRunRepository } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';

/** A repository and a second one on the same store (another process), sharing `clock`. */
export type JobRunFactory = (clock: FixedClock) => Promise<{
  runs: JobRunRepository;
  other: JobRunRepository;
}>;

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const PICKUP_MS = 30_000;
const HOLD_MS = 60_000;

const running: JobRunRecord = {
  runId: '0b7f6b8e-2f64-4e55-9d4e-0f1f0a0b0c0d',
  job: 'cleanup',
  status: 'running',
  owner: 'api-1:0b7f6b8e',
  triggeredBy: 'ops',
  startedAtMs: T0,
};

let seq = 0;
function request(job = 'sync', atMs = T0) {
  seq += 1;
  const runId = `1c1d1e1f-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  return {
    runId,
    job,
    triggeredBy: 'ops',
    requestedAtMs: atMs,
    pickupDeadlineMs: atMs + PICKUP_MS,
  };
}

export function jobRunContract(name: string, create: JobRunFactory): void {
  describe(`JobRunRepository (${name})`, () => {
    it('reads back what was saved, and null for an unknown run', async () => {
      const { runs } = await create(new FixedClock(T0));
      await runs.save(running);
      expect(await runs.get(running.runId)).toEqual(running);
      expect(await runs.get('00000000-0000-4000-8000-000000000000')).toBeNull();
    });

    it('moves running → outcome, and never lets a late write overwrite the outcome', async () => {
      const { runs } = await create(new FixedClock(T0));
      await runs.save(running);
      const done: JobRunRecord = {
        ...running,
        status: 'succeeded',
        finishedAtMs: running.startedAtMs + 1500,
        durationMs: 1500,
        result: { deleted: 3, attempts: { deleted: 3, quarantined: 0 } },
      };
      await runs.save(done);
      await runs.save(running);
      await runs.save({ ...done, status: 'failed', error: 'late' });
      expect(await runs.get(running.runId)).toEqual(done);
    });

    it('records one pending request per job; another job has its own slot', async () => {
      const clock = new FixedClock(T0);
      const { runs, other } = await create(clock);
      const first = request('sync');
      expect(await runs.request(first)).toBe(true);
      expect(await runs.get(first.runId)).toEqual({
        runId: first.runId,
        job: 'sync',
        status: 'pending',
        owner: '',
        triggeredBy: 'ops',
        startedAtMs: T0,
        requestedAtMs: T0,
        pickupDeadlineMs: T0 + PICKUP_MS,
      });
      // A second request for the same job, from any process, is refused while the first waits.
      clock.advanceSeconds(10);
      expect(await other.request(request('sync', clock.nowMs()))).toBe(false);
      expect(await runs.request(request('sync', clock.nowMs()))).toBe(false);
      expect(await other.request(request('cleanup', clock.nowMs()))).toBe(true);
      expect((await other.pending('sync'))?.runId).toBe(first.runId);
      expect(await runs.pending('expiry')).toBeNull();
    });

    it('lets exactly one of two workers claim a pending request', async () => {
      const clock = new FixedClock(T0);
      const { runs, other } = await create(clock);
      const req = request('cleanup');
      await runs.request(req);
      clock.advanceSeconds(1);
      const [a, b] = await Promise.all([
        runs.claim(req.runId, 'worker-a:x', HOLD_MS),
        other.claim(req.runId, 'worker-b:x', HOLD_MS),
      ]);
      const winners = [a, b].filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]).toMatchObject({
        status: 'running',
        startedAtMs: T0 + 1000,
        requestedAtMs: T0,
        owner: expect.stringMatching(/^worker-[ab]:x$/) as unknown,
      });
      expect(await runs.pending('cleanup')).toBeNull();
      // Claimed and running: the job's slot still refuses requests (its lease is being taken).
      expect(await runs.request(request('cleanup', clock.nowMs()))).toBe(false);
    });

    it('frees the slot when the outcome is saved; a late claim of a finished run gets nothing', async () => {
      const clock = new FixedClock(T0);
      const { runs } = await create(clock);
      const req = request('sync');
      await runs.request(req);
      const claimed = await runs.claim(req.runId, 'w:1', HOLD_MS);
      await runs.save({ ...claimed!, status: 'succeeded', finishedAtMs: T0, durationMs: 0 });
      expect(await runs.claim(req.runId, 'w:2', HOLD_MS)).toBeNull();
      expect(await runs.get(req.runId)).toMatchObject({ status: 'succeeded', owner: 'w:1' });
      expect(await runs.request(request('sync'))).toBe(true);
    });

    it('expires a request nobody claimed by its deadline; it cannot be claimed afterwards', async () => {
      const clock = new FixedClock(T0);
      const { runs, other } = await create(clock);
      const req = request('sync');
      await runs.request(req);
      expect(await runs.expire(req.runId)).toBe(false); // not due yet
      clock.advanceSeconds(PICKUP_MS / 1000 + 1);
      expect(await runs.claim(req.runId, 'w:late', HOLD_MS)).toBeNull();
      const [a, b] = await Promise.all([runs.expire(req.runId), other.expire(req.runId)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await runs.get(req.runId)).toMatchObject({
        status: 'expired',
        finishedAtMs: clock.nowMs(),
      });
      expect(await runs.pending('sync')).toBeNull();
      // Past its deadline the slot no longer blocks a new request.
      expect(await runs.request(request('sync', clock.nowMs()))).toBe(true);
    });

    it('lets a new request in once a claimed run holds the slot past its hold time', async () => {
      const clock = new FixedClock(T0);
      const { runs } = await create(clock);
      const req = request('cleanup');
      await runs.request(req);
      await runs.claim(req.runId, 'w:dead', HOLD_MS);
      clock.advanceSeconds(HOLD_MS / 1000 - 1);
      expect(await runs.request(request('cleanup', clock.nowMs()))).toBe(false);
      clock.advanceSeconds(2);
      expect(await runs.request(request('cleanup', clock.nowMs()))).toBe(true);
    });

    it("lists a job's recent runs newest first, each once, bounded by the limit", async () => {
      const clock = new FixedClock(T0);
      const { runs, other } = await create(clock);
      const saved: JobRunRecord[] = [0, 1, 2, 3].map((i) => ({
        ...running,
        runId: `2a2b2c2d-0000-4000-8000-${String(i).padStart(12, '0')}`,
        job: 'recent-job',
        startedAtMs: T0 + i * 1000,
      }));
      for (const record of saved) await runs.save(record);
      // A run moving to its outcome stays one entry, at its start time.
      await runs.save({ ...saved[1]!, status: 'succeeded', finishedAtMs: T0 + 1500 });
      await runs.save({ ...running, runId: '3a3b3c3d-0000-4000-8000-000000000000', job: 'other' });
      const recent = await other.recent('recent-job', 10);
      expect(recent.map((r) => r.runId)).toEqual([3, 2, 1, 0].map((i) => saved[i]!.runId));
      expect(recent[2]?.status).toBe('succeeded');
      expect((await other.recent('recent-job', 2)).map((r) => r.runId)).toEqual([
        saved[3]!.runId,
        saved[2]!.runId,
      ]);
      expect(await other.recent('no-such-job', 5)).toEqual([]);
    });
  });
}
