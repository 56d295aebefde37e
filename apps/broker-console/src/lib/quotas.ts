import type { TrackQuota } from '../api/types';
import { parseWhole } from './reservations';

/** What PUT /v1/admin/tracks/{track}/quota accepts. */
export const MAX_TRACK_QUOTA = 100_000;
/** The API's track slug: printable ASCII without spaces, ":" or ",", 1 to 256 characters. */
const TRACK_SLUG = /^[\x21-\x2b\x2d-\x39\x3b-\x7e]{1,256}$/;

export type QuotaResult =
  | { readonly ok: true; readonly track: string; readonly max_allocated: number }
  | { readonly ok: false; readonly errors: { readonly track?: string; readonly max?: string } };

/** The quota form → the track and the PUT body's limit, or a message per wrong field. */
export function quotaRequest(track: string, max: string): QuotaResult {
  const errors: { track?: string; max?: string } = {};
  const slug = track.trim();
  if (!slug) errors.track = 'Enter the track slug';
  else if (!TRACK_SLUG.test(slug))
    errors.track = 'Printable ASCII without spaces, ":" or ",", at most 256 characters';
  const limit = parseWhole(max, 0, MAX_TRACK_QUOTA);
  if (limit === null) errors.max = `A whole number from 0 (closed) to ${MAX_TRACK_QUOTA}`;
  if (errors.track || errors.max || limit === null) return { ok: false, errors };
  return { ok: true, track: slug, max_allocated: limit };
}

/** The confirmation of a quota change, saying what it does to the track's students. */
export function setQuotaConfirmText(
  track: string,
  max: number,
  current: TrackQuota | undefined,
): string {
  const from = current ? ` (now ${current.max_allocated}, ${current.held} held)` : '';
  const effect =
    max === 0
      ? 'No new sandbox for this track until the quota is raised or removed.'
      : current && max < current.held
        ? `It holds ${current.held}: new allocations are refused until enough are released; none is revoked.`
        : 'Allocations beyond it are refused with 409 TRACK_QUOTA_EXCEEDED.';
  return `Set the quota of track ${track} to ${max}${from}? ${effect}`;
}

export function removeQuotaConfirmText(quota: TrackQuota): string {
  return `Remove the quota of track ${quota.track} (${quota.max_allocated}, ${quota.held} held)? The track is unlimited again.`;
}

/** "42 / 150", and whether the track is at or over its quota. */
export function quotaUsage(quota: TrackQuota): { readonly text: string; readonly full: boolean } {
  return {
    text: `${quota.held} / ${quota.max_allocated}`,
    full: quota.held >= quota.max_allocated,
  };
}

/** `GET /v1/admin/tracks/quotas?limit=&cursor=`. */
export function quotaListPath(limit: number, cursor: string | null): string {
  return `/v1/admin/tracks/quotas?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
}

/** `/v1/admin/tracks/{track}/quota`. */
export function quotaPath(track: string): string {
  return `/v1/admin/tracks/${encodeURIComponent(track)}/quota`;
}
