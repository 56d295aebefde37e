import type { CapacityView, CapacityWindow } from '../api/types';
import { formatTime } from './format';

export interface ForecastRow {
  readonly reservationId: string;
  readonly track: string;
  readonly prefix: string;
  readonly window: string;
  readonly outstanding: number;
  readonly cumulative: number;
  readonly shortfall: number;
  /** "short by 12 for track X at 2026-11-30 09:00 UTC" or "covered for track X at …". */
  readonly text: string;
  readonly short: boolean;
}

export interface ForecastView {
  /** "Any name" when the forecast covers every sandbox. */
  readonly prefixLabel: string;
  readonly available: number;
  readonly reserved: number;
  readonly held: number;
  /** Sandboxes to create at the provider before the last window in the horizon. */
  readonly shortfall: number;
  readonly until: string;
  /** One line for the top of the page: what to do, or that the stock covers every booking. */
  readonly headline: string;
  readonly rows: readonly ForecastRow[];
}

/** The time a class starts, to the minute ("2026-11-30 09:00 UTC"). */
export function startText(epochSeconds: number): string {
  return formatTime(epochSeconds).replace(/:\d\d UTC$/, ' UTC');
}

/** The shortfall sentence of one window (the API's wording, with the console's time format). */
export function shortfallText(
  w: Pick<CapacityWindow, 'track' | 'shortfall' | 'starts_at'>,
): string {
  return w.shortfall > 0
    ? `short by ${w.shortfall} for track ${w.track} at ${startText(w.starts_at)}`
    : `covered for track ${w.track} at ${startText(w.starts_at)}`;
}

/** `GET /v1/admin/capacity` → what the forecast section shows. */
export function shapeForecast(view: CapacityView): ForecastView {
  const rows = view.windows.map((w): ForecastRow => ({
    reservationId: w.reservation_id,
    track: w.track,
    prefix: w.name_prefix || 'any',
    window: `${startText(w.starts_at)} → ${startText(w.ends_at)}`,
    outstanding: w.outstanding,
    cumulative: w.cumulative,
    shortfall: w.shortfall,
    text: shortfallText(w),
    short: w.shortfall > 0,
  }));
  const firstShort = rows.find((r) => r.short);
  const headline =
    rows.length === 0
      ? 'No class booked in the horizon.'
      : view.shortfall > 0 && firstShort
        ? `Create ${view.shortfall} sandboxes at the provider: first ${firstShort.text}.`
        : `The stock covers every booked class (${rows.length}) in the horizon.`;
  return {
    prefixLabel: view.name_prefix ? view.name_prefix : 'any name',
    available: view.available,
    reserved: view.reserved,
    held: view.held,
    shortfall: view.shortfall,
    until: formatTime(view.until),
    headline,
    rows,
  };
}

/** `GET /v1/admin/capacity[?prefix=]`; a blank prefix asks for every sandbox. */
export function capacityPath(prefix: string): string {
  const trimmed = prefix.trim();
  return trimmed
    ? `/v1/admin/capacity?prefix=${encodeURIComponent(trimmed)}`
    : '/v1/admin/capacity';
}
