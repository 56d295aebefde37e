import {
  type AllocationStatsView,
  CLEANUP_OUTCOMES,
  type CleanupOutcome,
  type CleanupStatsView,
  type PoolStatsView,
  SANDBOX_STATUSES,
  type StatsWindow,
  type TrackStatsView,
} from '../api/types';

/** What a chart draws: one label per bar or slice and one or more series over them. */
export interface ChartSeries {
  readonly labels: string[];
  readonly datasets: {
    readonly label: string;
    readonly data: number[];
    /** One colour per label (slices), else Chart.js's default palette. */
    readonly backgroundColor?: string[];
  }[];
}

/** A fixed colour per status, so a status looks the same in every chart and on every load. */
export const STATUS_COLORS: Readonly<Record<(typeof SANDBOX_STATUSES)[number], string>> = {
  available: '#2e7d32',
  reserved: '#00897b',
  allocated: '#1f6feb',
  pending_deletion: '#f2a93b',
  deleting: '#ffd54f',
  deleted: '#9e9e9e',
  stale: '#b26a00',
  deletion_failed: '#c62828',
  quarantined: '#8e24aa',
};

/** Status breakdown: every status in the domain's order, zeros included (a stable legend). */
export function statusBreakdown(stats: PoolStatsView): ChartSeries {
  return {
    labels: [...SANDBOX_STATUSES],
    datasets: [
      {
        label: 'sandboxes',
        data: SANDBOX_STATUSES.map((s) => stats.by_status[s] ?? 0),
        backgroundColor: SANDBOX_STATUSES.map((s) => STATUS_COLORS[s]),
      },
    ],
  };
}

/** Rows of the by-prefix table: prefix, per-status counts and total, largest total first. */
export function prefixRows(
  stats: PoolStatsView,
): { prefix: string; counts: Record<string, number>; total: number }[] {
  return Object.entries(stats.by_prefix)
    .map(([prefix, byStatus]) => {
      const counts: Record<string, number> = {};
      let total = 0;
      for (const s of SANDBOX_STATUSES) {
        counts[s] = byStatus[s] ?? 0;
        total += counts[s];
      }
      return { prefix, counts, total };
    })
    .sort((a, b) => b.total - a.total || a.prefix.localeCompare(b.prefix));
}

/** A bucket's label: "14:00" for the 24 h window, "11-29 14h" for 7 days (UTC). */
export function bucketLabel(startIso: string, window: StatsWindow): string {
  const iso = new Date(Date.parse(startIso)).toISOString();
  return window === '24h' ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 13)}h`;
}

/** Allocations per hour, oldest first as the API sends them. */
export function allocationSeries(view: AllocationStatsView): ChartSeries {
  return {
    labels: view.buckets.map((b) => bucketLabel(b.start, view.window)),
    datasets: [{ label: 'allocations', data: view.buckets.map((b) => b.allocations) }],
  };
}

/** Sum of a window's allocations. */
export function allocationTotal(view: AllocationStatsView): number {
  return view.buckets.reduce((sum, b) => sum + b.allocations, 0);
}

/** Sandboxes held per track, most first; at most `limit` bars, the rest summed as "other". */
export function trackSeries(view: TrackStatsView, limit = 12): ChartSeries {
  const sorted = [...view.tracks].sort(
    (a, b) => b.allocated - a.allocated || a.track.localeCompare(b.track),
  );
  const shown = sorted.slice(0, limit);
  const rest = sorted.slice(limit).reduce((sum, t) => sum + t.allocated, 0);
  const labels = shown.map((t) => t.track);
  const data = shown.map((t) => t.allocated);
  if (rest > 0) {
    labels.push('other');
    data.push(rest);
  }
  return { labels, datasets: [{ label: 'allocated', data }] };
}

export const CLEANUP_LABELS: Readonly<Record<CleanupOutcome, string>> = {
  deleted: 'deleted',
  retried: 'retried',
  failed: 'failed',
  quarantined: 'quarantined',
  niosxaas_cleaned: 'NIOSXaaS cleaned',
  niosxaas_skipped: 'NIOSXaaS skipped',
  niosxaas_failed: 'NIOSXaaS failed',
};

/** Cleanup outcomes over the window: one bar per outcome (totals). */
export function cleanupSeries(view: CleanupStatsView): ChartSeries {
  return {
    labels: CLEANUP_OUTCOMES.map((o) => CLEANUP_LABELS[o]),
    datasets: [
      {
        label: `cleanup outcomes (${view.window})`,
        data: CLEANUP_OUTCOMES.map((o) => view.totals[o] ?? 0),
      },
    ],
  };
}
