/** "12 s", "4 min", "3 h", "2 d": how long ago, rounded down, for the freshness marks. */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** Data older than this (3 refresh periods) is marked stale on the page. */
export const STALE_AFTER_MS = 15_000;

export interface Freshness {
  /** "data as of 10:42:07 UTC (5 s ago)". */
  readonly label: string;
  readonly stale: boolean;
}

/**
 * The "data as of" mark: when the API produced the data (ISO `generated_at`, else when the
 * browser received it), and whether it is older than STALE_AFTER_MS at `nowMs`.
 */
export function freshness(
  generatedAt: string | null | undefined,
  receivedAtMs: number,
  nowMs: number,
): Freshness {
  const parsed = generatedAt ? Date.parse(generatedAt) : Number.NaN;
  const asOf = Number.isFinite(parsed) ? parsed : receivedAtMs;
  const age = nowMs - asOf;
  return {
    label: `data as of ${formatClock(asOf)} (${formatAge(age)} ago)`,
    stale: age > STALE_AFTER_MS,
  };
}

/** "10:42:07 UTC". */
export function formatClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** ISO or epoch seconds → "2026-11-30 10:42:07 UTC"; null/undefined → "never" or the fallback. */
export function formatTime(value: string | number | null | undefined, missing = '—'): string {
  if (value === null || value === undefined || value === '') return missing;
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "last sync 4 min ago" style: the time and the age, or "never". */
export function formatLastRun(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'never';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${formatTime(iso)} (${formatAge(nowMs - ms)} ago)`;
}
