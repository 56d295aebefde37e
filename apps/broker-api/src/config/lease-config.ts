/** Track slugs as the allocation header carries them (printable ASCII, no `:`, `,` or spaces). */
const TRACK_SLUG = /^[\x21-\x2b\x2d-\x39\x3b-\x7e]{1,256}$/;

/** Per-track leases in minutes, and the bounds every one of them must keep. */
export interface TrackLeaseConfig {
  readonly minMinutes: number;
  readonly maxMinutes: number;
  /** Track slug → lease in minutes (exact, case-sensitive match on X-Instruqt-Track-ID). */
  readonly trackMinutes: ReadonlyMap<string, number>;
}

/**
 * Parses `TRACK_LEASE_MINUTES` (`slug:minutes,slug2:minutes`). Returns every problem found (the
 * caller reports them together with the rest of the config) and the leases that parsed.
 */
export function parseTrackLeases(
  raw: string | undefined,
  bounds: { readonly minMinutes: number; readonly maxMinutes: number },
): { readonly config: TrackLeaseConfig; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const trackMinutes = new Map<string, number>();
  if (bounds.minMinutes > bounds.maxMinutes) {
    problems.push('LEASE_MIN_MINUTES must not exceed LEASE_MAX_MINUTES');
  }
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    const slug = colon > 0 ? entry.slice(0, colon).trim() : '';
    const minutesText = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!TRACK_SLUG.test(slug) || !/^\d{1,9}$/.test(minutesText)) {
      problems.push(`TRACK_LEASE_MINUTES: "${entry}" is not slug:minutes`);
      continue;
    }
    const minutes = Number(minutesText);
    if (trackMinutes.has(slug)) {
      problems.push(`TRACK_LEASE_MINUTES: track "${slug}" is listed twice`);
    } else if (minutes < bounds.minMinutes || minutes > bounds.maxMinutes) {
      problems.push(
        `TRACK_LEASE_MINUTES: track "${slug}" has ${minutes} minutes, outside ` +
          `LEASE_MIN_MINUTES..LEASE_MAX_MINUTES (${bounds.minMinutes}..${bounds.maxMinutes})`,
      );
    }
    trackMinutes.set(slug, minutes);
  }
  return { config: { ...bounds, trackMinutes }, problems };
}

/** The track's lease in seconds, or undefined (the store's default lease, LAB_DURATION_HOURS). */
export function trackLeaseSeconds(
  config: TrackLeaseConfig,
  trackName: string | undefined,
): number | undefined {
  if (trackName === undefined) return undefined;
  const minutes = config.trackMinutes.get(trackName);
  return minutes === undefined ? undefined : minutes * 60;
}
