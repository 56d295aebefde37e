import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/endpoints';
import type { JobName, JobRun, Role } from '../api/types';
import { ErrorBox } from '../components/error-box';
import { useNow } from '../components/use-now';
import { canChange } from '../lib/actions';
import { formatTime } from '../lib/format';
import {
  isFinished,
  RUN_POLL_MAX,
  RUN_POLL_MS,
  runCounts,
  runOutcome,
  runSummary,
} from '../lib/job-runs';

const RECENT_RUNS = 10;

/** Recent sync and cleanup runs; admins can trigger one and watch it until it ends. */
export function JobsPage({ role }: { readonly role: Role }) {
  return (
    <>
      <h1>Job runs</h1>
      <div className="jobs">
        <JobColumn job="sync" role={role} />
        <JobColumn job="cleanup" role={role} />
      </div>
    </>
  );
}

function JobColumn({ job, role }: { readonly job: JobName; readonly role: Role }) {
  const runs = useQuery({ queryKey: ['runs', job], queryFn: () => api.runs(job, RECENT_RUNS) });
  const [runId, setRunId] = useState<string | null>(null);
  const polls = useRef(0);
  const queryClient = useQueryClient();
  const trigger = useMutation({
    mutationFn: () => api.trigger(job),
    onSuccess: (run) => {
      polls.current = 0;
      queryClient.setQueryData(['run', run.run_id], run);
      setRunId(run.run_id);
    },
  });
  const current = useQuery({
    queryKey: ['run', runId],
    queryFn: () => api.run(runId ?? ''),
    enabled: runId !== null,
    // Re-read every second until the run ends (bounded), then refresh the runs and the counts.
    refetchInterval: (query) => {
      if (isFinished(query.state.data) || ++polls.current > RUN_POLL_MAX) return false;
      return RUN_POLL_MS;
    },
  });
  const finished = isFinished(current.data);
  const now = useNow();
  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: ['runs'] });
    void queryClient.invalidateQueries({ queryKey: ['stats'] });
  }, [finished, runId, queryClient]);

  return (
    <section className="job" data-testid={`job-${job}`}>
      <h2>{job}</h2>
      {canChange(role) ? (
        <button
          type="button"
          onClick={() => trigger.mutate()}
          disabled={trigger.isPending || (runId !== null && !finished)}
          data-testid={`trigger-${job}`}
        >
          Run {job} now
        </button>
      ) : null}
      <ErrorBox error={trigger.error} what={`Starting ${job}`} />
      <ErrorBox error={current.error} what={`Reading the ${job} run`} />
      {current.data ? <RunProgress run={current.data} /> : null}
      <ErrorBox error={runs.error} what={`Recent ${job} runs`} />
      <table className="data" data-testid={`runs-${job}`}>
        <thead>
          <tr>
            <th>started</th>
            <th>status</th>
            <th>by</th>
            <th>counts</th>
          </tr>
        </thead>
        <tbody>
          {runs.data?.items.map((run) => (
            <tr key={run.run_id} className={`run-${runOutcome(run)}`}>
              <td>{formatTime(run.started_at)}</td>
              <td>{runSummary(run, now)}</td>
              <td>{run.triggered_by}</td>
              <td className="mono">
                {runCounts(run)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs.data?.items.length === 0 ? <p className="muted">No runs yet.</p> : null}
    </section>
  );
}

function RunProgress({ run }: { readonly run: JobRun }) {
  const now = useNow();
  const outcome = runOutcome(run);
  return (
    <div
      className={`run-progress run-${outcome}`}
      data-testid="run-progress"
      data-status={run.status}
      role="status"
    >
      <strong>{outcome === 'pending' ? 'Running' : outcome === 'ok' ? 'Done' : 'Failed'}</strong>:{' '}
      {runSummary(run, now)}
      {outcome !== 'pending' && runCounts(run).length > 0 ? (
        <span className="mono">
          {' '}
          —{' '}
          {runCounts(run)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}
        </span>
      ) : null}
    </div>
  );
}
