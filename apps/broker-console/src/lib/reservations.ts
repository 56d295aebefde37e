import type { ProblemBody } from '../api/api-error';
import type { NewReservationBody, Reservation, ReservationStatus } from '../api/types';
import { formatTime } from './format';

/** What the API accepts (CreateReservationDto): keep the form's checks in step with it. */
export const MAX_COUNT = 10_000;
export const MAX_RELEASE_MINUTES = 10_080;
const MAX_EPOCH = 4_102_444_800;
/** Printable ASCII without spaces: track slugs and name prefixes. */
const PRINTABLE = /^[\x21-\x7e]+$/;

/** The "Book a class" form as typed (datetime-local values are the browser's local time). */
export interface BookingDraft {
  readonly track: string;
  readonly count: string;
  readonly starts_at: string;
  readonly ends_at: string;
  readonly name_prefix: string;
  readonly release_unclaimed_after_minutes: string;
}

export const EMPTY_BOOKING: BookingDraft = {
  track: '',
  count: '',
  starts_at: '',
  ends_at: '',
  name_prefix: '',
  release_unclaimed_after_minutes: '',
};

export type BookingResult =
  | { readonly ok: true; readonly body: NewReservationBody }
  | { readonly ok: false; readonly errors: Readonly<Partial<Record<keyof BookingDraft, string>>> };

/**
 * A `datetime-local` value ("2026-11-30T09:00", seconds optional) read as local time → epoch
 * seconds; null when it is not one.
 */
export function localInputToEpoch(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = m
    .slice(1)
    .map((part: string | undefined) => Number(part ?? 0));
  if (h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(y, mo - 1, d, h, mi, s);
  // Rejects 2026-02-31 and the like (Date rolls them over).
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return Math.floor(date.getTime() / 1000);
}

/** Epoch seconds → a `datetime-local` value in local time ("2026-11-30T09:00"). */
export function epochToLocalInput(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A whole number in [min, max] typed in a field, else null. */
export function parseWhole(value: string, min: number, max: number): number | null {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= min && n <= max ? n : null;
}

/**
 * The form → the `POST /v1/admin/reservations` body, or a message per wrong field (the same
 * rules as the API, so most mistakes never leave the browser). `nowSeconds`: the window must end
 * in the future.
 */
export function bookingRequest(draft: BookingDraft, nowSeconds: number): BookingResult {
  const errors: Partial<Record<keyof BookingDraft, string>> = {};
  const track = draft.track.trim();
  if (!track) errors.track = 'Enter the track slug';
  else if (track.length > 256 || !PRINTABLE.test(track))
    errors.track = 'Printable ASCII without spaces, at most 256 characters';

  const count = parseWhole(draft.count, 1, MAX_COUNT);
  if (count === null) errors.count = `A whole number from 1 to ${MAX_COUNT}`;

  const startsAt = localInputToEpoch(draft.starts_at);
  const endsAt = localInputToEpoch(draft.ends_at);
  if (startsAt === null || startsAt > MAX_EPOCH) errors.starts_at = 'Enter the start date and time';
  if (endsAt === null || endsAt > MAX_EPOCH) errors.ends_at = 'Enter the end date and time';
  else if (startsAt !== null && endsAt <= startsAt)
    errors.ends_at = 'The end must be after the start';
  else if (endsAt <= nowSeconds) errors.ends_at = 'The end must be in the future';

  const prefix = draft.name_prefix.trim();
  if (prefix && (prefix.length > 128 || !PRINTABLE.test(prefix)))
    errors.name_prefix = 'Printable ASCII without spaces, at most 128 characters';

  const releaseText = draft.release_unclaimed_after_minutes.trim();
  const release = releaseText ? parseWhole(releaseText, 0, MAX_RELEASE_MINUTES) : null;
  if (releaseText && release === null)
    errors.release_unclaimed_after_minutes = `A whole number of minutes from 0 to ${MAX_RELEASE_MINUTES}`;

  if (Object.keys(errors).length > 0 || count === null || startsAt === null || endsAt === null)
    return { ok: false, errors };
  return {
    ok: true,
    body: {
      track,
      count,
      starts_at: startsAt,
      ends_at: endsAt,
      ...(prefix ? { name_prefix: prefix } : {}),
      ...(release !== null ? { release_unclaimed_after_minutes: release } : {}),
    },
  };
}

/** The resize field → the new count, or the message. */
export function resizeRequest(
  value: string,
): { ok: true; count: number } | { ok: false; error: string } {
  const count = parseWhole(value, 1, MAX_COUNT);
  return count === null
    ? { ok: false, error: `A whole number from 1 to ${MAX_COUNT}` }
    : { ok: true, count };
}

/** "2026-11-30 09:00 – 11:00 UTC", or both full times when the window spans days. */
export function windowText(startsAt: number, endsAt: number): string {
  const start = formatTime(startsAt).replace(/:\d\d UTC$/, '');
  const end = formatTime(endsAt).replace(/:\d\d UTC$/, '');
  return start.slice(0, 10) === end.slice(0, 10)
    ? `${start} – ${end.slice(11)} UTC`
    : `${start} – ${end} UTC`;
}

/** The cancel confirmation: names the track, the window and what the students lose. */
export function cancelConfirmText(r: Reservation): string {
  const held = r.held > 0 ? ` Its ${r.held} earmarked sandboxes go back to the pool.` : '';
  return (
    `Cancel the class booking of ${r.count} sandboxes for track ${r.track}, ` +
    `${windowText(r.starts_at, r.ends_at)}?${held} Students who already have one keep it.`
  );
}

/**
 * The refusal of a booking or a resize in one line: INSUFFICIENT_CAPACITY spells its figures
 * ("short by 12: 38 in stock, 0 held by other bookings, 50 requested"); else nothing (the
 * generic problem message already says it).
 */
export function capacityRefusal(problem: ProblemBody | null | undefined): string | null {
  if (problem?.code !== 'INSUFFICIENT_CAPACITY' || problem.shortfall === undefined) return null;
  const parts = [
    problem.available !== undefined ? `${problem.available} in stock` : null,
    problem.committed !== undefined ? `${problem.committed} held by other bookings` : null,
    problem.requested !== undefined ? `${problem.requested} requested` : null,
  ].filter(Boolean);
  return `Not enough sandboxes: short by ${problem.shortfall}${parts.length ? ` (${parts.join(', ')})` : ''}.`;
}

export interface ReservationFilters {
  readonly track: string;
  readonly status: ReservationStatus | '';
}

/** `GET /v1/admin/reservations?…` with the filters, the page size and the cursor. */
export function reservationListPath(
  filters: ReservationFilters,
  limit: number,
  cursor: string | null,
): string {
  const params = new URLSearchParams();
  if (filters.track.trim()) params.set('track', filters.track.trim());
  if (filters.status) params.set('status', filters.status);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return `/v1/admin/reservations?${params.toString()}`;
}
