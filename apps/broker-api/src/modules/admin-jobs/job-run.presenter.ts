import type { JobRunView } from '@broker/jobs';
import type { JobRunResponseDto } from './dto/job-run-response.dto';

export const RUNS_PATH = '/v1/admin/jobs/runs';

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function snakeKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeKeys(v)]));
}

/**
 * Snake-case wire view of a run. For the original's dashboards the counters it returned are kept
 * at the top level too: sync `synced`, `marked_stale`; cleanup `deleted`, `failed`.
 */
export function toJobRunResponse(run: JobRunView, status: string = run.status): JobRunResponseDto {
  const result = run.result ? (snakeKeys(run.result) as Record<string, unknown>) : undefined;
  return {
    status,
    run_id: run.runId,
    job: run.job,
    triggered_by: run.triggeredBy,
    started_at: new Date(run.startedAtMs).toISOString(),
    ...(run.requestedAtMs !== undefined
      ? { requested_at: new Date(run.requestedAtMs).toISOString() }
      : {}),
    ...(run.pickupDeadlineMs !== undefined && (run.status === 'pending' || run.status === 'expired')
      ? { pickup_deadline: new Date(run.pickupDeadlineMs).toISOString() }
      : {}),
    ...(run.finishedAtMs !== undefined
      ? { finished_at: new Date(run.finishedAtMs).toISOString() }
      : {}),
    ...(run.durationMs !== undefined ? { duration_ms: run.durationMs } : {}),
    ...(result ? { ...legacyCounters(run.job, result), result } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
  };
}

function legacyCounters(job: string, result: Record<string, unknown>): Record<string, unknown> {
  if (job === 'sync') {
    const synced = Number(result['inserted'] ?? 0) + Number(result['refreshed'] ?? 0);
    return {
      synced: synced + Number(result['revived'] ?? 0),
      marked_stale: result['marked_stale'],
    };
  }
  if (job === 'cleanup') {
    const attempts = (result['attempts'] ?? {}) as Record<string, number | undefined>;
    return {
      deleted: attempts['deleted'] ?? 0,
      failed: (attempts['retry_scheduled'] ?? 0) + (attempts['quarantined'] ?? 0),
    };
  }
  return {};
}
