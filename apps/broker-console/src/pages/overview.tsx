import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/endpoints';
import { SANDBOX_STATUSES, type StatsWindow } from '../api/types';
import { ChartPanel } from '../components/chart';
import { ErrorBox } from '../components/error-box';
import { FreshnessMark } from '../components/freshness-mark';
import {
  allocationSeries,
  allocationTotal,
  cleanupSeries,
  prefixRows,
  statusBreakdown,
  trackSeries,
} from '../lib/chart-data';
import { formatClock, formatLastRun } from '../lib/format';
import { filterParams, NO_FILTERS } from '../lib/filters';
import { Link } from '../router';
import { useNow } from '../components/use-now';

/** Pool overview: counts (as GET /v1/admin/stats), freshness, last runs and the four charts. */
export function OverviewPage() {
  const [span, setSpan] = useState<StatsWindow>('24h');
  // Four calls per refresh: stats, allocations, tracks, cleanup (each an O(1)-ish read server-side).
  const stats = useQuery({ queryKey: ['stats'], queryFn: api.stats });
  const allocations = useQuery({
    queryKey: ['stats', 'allocations', span],
    queryFn: () => api.allocations(span),
  });
  const tracks = useQuery({ queryKey: ['stats', 'tracks'], queryFn: api.tracks });
  const cleanup = useQuery({
    queryKey: ['stats', 'cleanup', span],
    queryFn: () => api.cleanup(span),
  });
  const now = useNow();

  return (
    <>
      <section className="section-head">
        <h1>Pool overview</h1>
        {stats.data ? (
          <FreshnessMark generatedAt={stats.data.generated_at} receivedAtMs={stats.dataUpdatedAt} />
        ) : null}
      </section>
      <ErrorBox error={stats.error} what="Pool stats" />
      {stats.data ? (
        <>
          <div className="cards" data-testid="status-counts">
            <div className="card total">
              <span className="label">total</span>
              <span className="value" data-testid="count-total">
                {stats.data.total}
              </span>
            </div>
            {SANDBOX_STATUSES.map((status) => (
              <Link
                key={status}
                to={`/console/sandboxes?${filterParams({ ...NO_FILTERS, status }).toString()}`}
                className={`card status-${status}`}
              >
                <span className="label">{status}</span>
                <span className="value" data-testid={`count-${status}`}>
                  {stats.data.by_status[status] ?? 0}
                </span>
              </Link>
            ))}
          </div>
          <p className="last-runs">
            Last successful sync:{' '}
            <span data-testid="last-sync">{formatLastRun(stats.data.last_sync_at, now)}</span>
            {' · '}
            last successful cleanup:{' '}
            <span data-testid="last-cleanup">{formatLastRun(stats.data.last_cleanup_at, now)}</span>
          </p>
          <h2>By name prefix</h2>
          <table className="data" data-testid="prefix-table">
            <thead>
              <tr>
                <th>prefix</th>
                {SANDBOX_STATUSES.map((s) => (
                  <th key={s}>{s}</th>
                ))}
                <th>total</th>
              </tr>
            </thead>
            <tbody>
              {prefixRows(stats.data).map((row) => (
                <tr key={row.prefix} data-prefix={row.prefix}>
                  <td>{row.prefix}</td>
                  {SANDBOX_STATUSES.map((s) => (
                    <td key={s} data-status={s}>
                      {row.counts[s]}
                    </td>
                  ))}
                  <td>{row.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      <section className="section-head">
        <h2>Charts</h2>
        <span className="toggle" role="group" aria-label="Window">
          {(['24h', '7d'] as const).map((w) => (
            <button
              key={w}
              type="button"
              className={w === span ? 'active' : ''}
              onClick={() => setSpan(w)}
              data-testid={`span-${w}`}
            >
              {w === '24h' ? 'Last 24 h' : 'Last 7 days'}
            </button>
          ))}
        </span>
      </section>
      <ErrorBox error={allocations.error} what="Allocations per hour" />
      <ErrorBox error={tracks.error} what="Allocated per track" />
      <ErrorBox error={cleanup.error} what="Cleanup outcomes" />
      <div className="charts">
        {stats.data ? (
          <ChartPanel
            title="Status breakdown"
            kind="doughnut"
            series={statusBreakdown(stats.data)}
            testId="chart-status"
          />
        ) : null}
        {allocations.data ? (
          <ChartPanel
            title={`Allocations per hour (${span}): ${allocationTotal(allocations.data)} in total`}
            series={allocationSeries(allocations.data)}
            testId="chart-allocations"
          />
        ) : null}
        {tracks.data ? (
          <ChartPanel
            title={`Allocated sandboxes per track (${tracks.data.as_of ? `as of ${formatClock(Date.parse(tracks.data.as_of))}` : 'no recount yet'})`}
            series={trackSeries(tracks.data)}
            testId="chart-tracks"
          />
        ) : null}
        {cleanup.data ? (
          <ChartPanel
            title={`Cleanup outcomes (${span})`}
            series={cleanupSeries(cleanup.data)}
            testId="chart-cleanup"
          />
        ) : null}
      </div>
      {allocations.data ? (
        <p
          className="muted"
          data-testid="allocations-total"
          data-total={allocationTotal(allocations.data)}
        >
          {allocationTotal(allocations.data)} allocations in the last{' '}
          {span === '24h' ? '24 hours' : '7 days'}
        </p>
      ) : null}
    </>
  );
}
