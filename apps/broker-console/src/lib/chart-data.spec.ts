import type { AllocationStatsView, CleanupStatsView, PoolStatsView } from '../api/types';
import {
  allocationSeries,
  allocationTotal,
  bucketLabel,
  cleanupSeries,
  prefixRows,
  statusBreakdown,
  trackSeries,
} from './chart-data';

const stats: PoolStatsView = {
  total: 7,
  by_status: { available: 4, allocated: 2, quarantined: 1 },
  by_prefix: {
    'lab-a-': { available: 1 },
    'lab-b-': { available: 3, allocated: 2, quarantined: 1 },
  },
  generated_at: '2026-11-30T10:00:00.000Z',
};

describe('chart data shaping', () => {
  it('gives every status, zeros included, in the domain order', () => {
    const series = statusBreakdown(stats);
    expect(series.labels).toEqual([
      'available',
      'reserved',
      'allocated',
      'pending_deletion',
      'deleting',
      'deleted',
      'stale',
      'deletion_failed',
      'quarantined',
    ]);
    expect(series.datasets[0]?.data).toEqual([4, 0, 2, 0, 0, 0, 0, 0, 1]);
    expect(new Set(series.datasets[0]?.backgroundColor).size).toBe(9); // one distinct colour each
  });

  it('sorts prefixes by their total, largest first', () => {
    const rows = prefixRows(stats);
    expect(rows.map((r) => [r.prefix, r.total])).toEqual([
      ['lab-b-', 6],
      ['lab-a-', 1],
    ]);
    expect(rows[0]?.counts['deleted']).toBe(0);
  });

  it('labels hourly buckets by the hour (24 h) or day and hour (7 d), in UTC', () => {
    expect(bucketLabel('2026-11-30T14:00:00.000Z', '24h')).toBe('14:00');
    expect(bucketLabel('2026-11-29T09:00:00Z', '7d')).toBe('11-29 09h');
  });

  it('keeps the API order of allocation buckets and sums them', () => {
    const view: AllocationStatsView = {
      window: '24h',
      bucket_seconds: 3600,
      generated_at: '2026-11-30T10:00:00Z',
      buckets: [
        { start: '2026-11-30T08:00:00Z', allocations: 2 },
        { start: '2026-11-30T09:00:00Z', allocations: 0 },
        { start: '2026-11-30T10:00:00Z', allocations: 5 },
      ],
    };
    expect(allocationSeries(view)).toEqual({
      labels: ['08:00', '09:00', '10:00'],
      datasets: [{ label: 'allocations', data: [2, 0, 5] }],
    });
    expect(allocationTotal(view)).toBe(7);
  });

  it('shows the largest tracks and sums the rest as other', () => {
    const series = trackSeries(
      {
        as_of: null,
        tracks: [
          { track: 'b', allocated: 1 },
          { track: 'a', allocated: 5 },
          { track: 'c', allocated: 1 },
          { track: 'd', allocated: 2 },
        ],
      },
      2,
    );
    expect(series.labels).toEqual(['a', 'd', 'other']);
    expect(series.datasets[0]?.data).toEqual([5, 2, 2]);
    expect(trackSeries({ as_of: null, tracks: [] }).labels).toEqual([]);
  });

  it('gives one bar per cleanup outcome, NIOSXaaS included', () => {
    const totals = {
      deleted: 3,
      retried: 1,
      failed: 0,
      quarantined: 2,
      niosxaas_cleaned: 4,
      niosxaas_skipped: 5,
      niosxaas_failed: 6,
    };
    const view: CleanupStatsView = {
      window: '7d',
      bucket_seconds: 3600,
      generated_at: '',
      totals,
      buckets: [],
    };
    const series = cleanupSeries(view);
    expect(series.labels).toEqual([
      'deleted',
      'retried',
      'failed',
      'quarantined',
      'NIOSXaaS cleaned',
      'NIOSXaaS skipped',
      'NIOSXaaS failed',
    ]);
    expect(series.datasets[0]?.data).toEqual([3, 1, 0, 2, 4, 5, 6]);
  });
});
