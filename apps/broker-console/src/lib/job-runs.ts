import type { JobRun } from '../api/types';

// A run in one of these states will not change any more.
const FINAL = new Set(['completed', 'succeeded', 'failed', 'skipped', 'expired', 'lost']);

export function isFinished(run: JobRun | undefined): boolean {
  return run !== undefined && FINAL.has(run.status);
}

/** How often a triggered run is re-read while it is not finished, and for how long at most. */
export const RUN_POLL_MS = 1000;
export const RUN_POLL_MAX = 300;

/** Whether the run ended well (for the page's colour and message). */
export function runOutcome(run: JobRun): 'ok' | 'failed' | 'pending' {
  if (!isFinished(run)) return 'pending';
  return run.status === 'completed' || run.status === 'succeeded' ? 'ok' : 'failed';
}

/**
 * The counters of a run's result as "key value" pairs (nested objects flattened with "."), for
 * the runs table: sync inserted/refreshed/marked_stale…, cleanup attempts.deleted….
 */
export function runCounts(run: JobRun): [string, number][] {
  const out: [string, number][] = [];
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (depth > 3 || value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (typeof inner === 'number') out.push([name, inner]);
      else walk(inner, name, depth + 1);
    }
  };
  walk(run.result, '', 0);
  return out;
}

/** "running for 3 s", "succeeded in 1.2 s", "failed: <error>". */
export function runSummary(run: JobRun, nowMs: number): string {
  if (!isFinished(run)) {
    const since = Date.parse(run.started_at || run.requested_at || '');
    const age = Number.isFinite(since) ? Math.max(0, Math.round((nowMs - since) / 1000)) : 0;
    return `${run.status} for ${age} s`;
  }
  const took = run.duration_ms !== undefined ? ` in ${(run.duration_ms / 1000).toFixed(1)} s` : '';
  return run.error ? `${run.status}${took}: ${run.error}` : `${run.status}${took}`;
}
