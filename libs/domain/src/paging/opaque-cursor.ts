import { InvalidCursorError } from '../errors/domain-errors';

interface CursorBody {
  readonly v: 1;
  /** Fingerprint of the filter the cursor was issued for. */
  readonly f: string;
  /** Where the listing stands; its shape belongs to the listing that issued it. */
  readonly p: unknown;
}

const CURSOR_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * The one opaque cursor codec of every listing (pool, admin, event log, in-memory fakes): a
 * base64url JSON body binding a position to the filter it was issued for, so a cursor replayed
 * with another filter is refused, never misread. Positions are validated by their listing.
 */
export function encodeCursor(filter: string, position: unknown): string {
  const body: CursorBody = { v: 1, f: filter, p: position };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * The position of a cursor issued for `filter`, unchecked beyond being JSON; InvalidCursorError
 * for anything malformed, longer than `maxLength` characters, or issued for another filter.
 */
export function decodeCursor(raw: string, filter: string, maxLength = 4096): unknown {
  if (raw.length === 0 || raw.length > maxLength || !CURSOR_PATTERN.test(raw)) {
    throw new InvalidCursorError();
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof body !== 'object' || body === null) throw new InvalidCursorError();
  const { v, f, p } = body as Partial<CursorBody>;
  if (v !== 1 || f !== filter || p === undefined) throw new InvalidCursorError();
  return p;
}

/**
 * DynamoDB refuses key attributes that are empty or longer than 1,024 bytes (sort key; 2,048 for
 * a partition key): a cursor carrying one is forged, and must be a 400, not the engine's
 * ValidationException (a 500).
 */
export const MAX_CURSOR_KEY_VALUE_BYTES = 1024;

/**
 * A flat record of string values usable as a DynamoDB key (each non-empty and at most
 * MAX_CURSOR_KEY_VALUE_BYTES bytes, at most 8 attributes), or null.
 */
export function asStringRecord(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 8) return null;
  return entries.every(
    ([, v]) =>
      typeof v === 'string' &&
      v.length > 0 &&
      Buffer.byteLength(v, 'utf8') <= MAX_CURSOR_KEY_VALUE_BYTES,
  )
    ? (Object.fromEntries(entries) as Record<string, string>)
    : null;
}

/** A non-negative integer no greater than `max`, or null. */
export function asIndex(value: unknown, max: number): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max
    ? value
    : null;
}
