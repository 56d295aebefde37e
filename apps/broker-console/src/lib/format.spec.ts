import { formatAge, formatLastRun, formatTime, freshness, STALE_AFTER_MS } from './format';

describe('freshness and time formatting', () => {
  const at = Date.parse('2026-11-30T10:42:07.500Z');

  it('formats ages in the largest whole unit', () => {
    expect(formatAge(-5)).toBe('0 s');
    expect(formatAge(59_999)).toBe('59 s');
    expect(formatAge(60_000)).toBe('1 min');
    expect(formatAge(3 * 3600_000 + 5)).toBe('3 h');
    expect(formatAge(2 * 86_400_000)).toBe('2 d');
  });

  it('marks data by the time the API produced it', () => {
    const mark = freshness('2026-11-30T10:42:07.000Z', at + 60_000, at + 5000);
    expect(mark).toEqual({ label: 'data as of 10:42:07 UTC (5 s ago)', stale: false });
  });

  it('falls back to the time the browser received it', () => {
    expect(freshness(null, at, at + 2000).label).toBe('data as of 10:42:07 UTC (2 s ago)');
    expect(freshness('not a date', at, at).label).toBe('data as of 10:42:07 UTC (0 s ago)');
  });

  it('is stale after three missed refreshes', () => {
    expect(freshness(null, at, at + STALE_AFTER_MS).stale).toBe(false);
    expect(freshness(null, at, at + STALE_AFTER_MS + 1).stale).toBe(true);
  });

  it('formats epoch seconds and ISO times alike, with a mark for none', () => {
    expect(formatTime(1_764_499_327)).toBe('2025-11-30 10:42:07 UTC');
    expect(formatTime('2026-11-30T10:42:07.500Z')).toBe('2026-11-30 10:42:07 UTC');
    expect(formatTime(null)).toBe('—');
    expect(formatTime(undefined, '')).toBe('');
  });

  it('says never for a job that has not run', () => {
    expect(formatLastRun(null, at)).toBe('never');
    expect(formatLastRun('2026-11-30T10:40:07.500Z', at)).toBe(
      '2026-11-30 10:40:07 UTC (2 min ago)',
    );
  });
});
