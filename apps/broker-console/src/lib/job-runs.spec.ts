import type { JobRun } from '../api/types';
import { isFinished, runCounts, runOutcome, runSummary } from './job-runs';

const run = (over: Partial<JobRun>): JobRun => ({
  status: 'running',
  run_id: 'r1',
  job: 'cleanup',
  triggered_by: 'ops',
  started_at: '2026-11-30T10:00:00.000Z',
  ...over,
});

describe('job run progress', () => {
  const now = Date.parse('2026-11-30T10:00:03.000Z');

  it('keeps polling pending, accepted and running runs only', () => {
    expect(isFinished(undefined)).toBe(false);
    for (const status of ['accepted', 'pending', 'running'])
      expect(isFinished(run({ status }))).toBe(false);
    for (const status of ['completed', 'succeeded', 'failed', 'skipped', 'expired', 'lost']) {
      expect(isFinished(run({ status }))).toBe(true);
    }
  });

  it('tells success from failure', () => {
    expect(runOutcome(run({ status: 'succeeded' }))).toBe('ok');
    expect(runOutcome(run({ status: 'expired' }))).toBe('failed');
    expect(runOutcome(run({ status: 'pending' }))).toBe('pending');
  });

  it('summarises a run in progress and a finished one', () => {
    expect(runSummary(run({}), now)).toBe('running for 3 s');
    expect(runSummary(run({ status: 'succeeded', duration_ms: 1234 }), now)).toBe(
      'succeeded in 1.2 s',
    );
    expect(runSummary(run({ status: 'failed', error: 'provider down' }), now)).toBe(
      'failed: provider down',
    );
  });

  it('flattens the result counters', () => {
    const counts = runCounts(
      run({ result: { scanned: 4, attempts: { deleted: 2, quarantined: 1 }, note: 'x' } }),
    );
    expect(counts).toEqual([
      ['scanned', 4],
      ['attempts.deleted', 2],
      ['attempts.quarantined', 1],
    ]);
    expect(runCounts(run({}))).toEqual([]);
  });
});
