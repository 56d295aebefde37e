import { InvalidCursorError } from '../errors/domain-errors';
import { decodeCursor, encodeCursor } from '../paging/opaque-cursor';
import type { ListEventsQuery } from '../ports/sandbox-event-log';

/** The shape `newEventId` produces: 13-digit epoch ms, `-`, 12 hex digits. */
export const EVENT_ID_PATTERN = /^\d{13}-[0-9a-f]{12}$/;

/** The filter part of a query (not the limit: a caller may change the page size between pages). */
function fingerprint(query: ListEventsQuery): string {
  return JSON.stringify([
    query.sandboxId ?? null,
    query.type ?? null,
    query.fromMs ?? null,
    query.toMs ?? null,
  ]);
}

/**
 * Opaque cursor shared by every SandboxEventLog implementation: the last event id returned plus
 * the filter it belongs to, so a cursor replayed with another filter is rejected, not misread.
 */
export function encodeEventCursor(lastEventId: string, query: ListEventsQuery): string {
  return encodeCursor(fingerprint(query), lastEventId);
}

/** The event id to continue below; InvalidCursorError for anything malformed or foreign. */
export function decodeEventCursor(cursor: string, query: ListEventsQuery): string {
  const eventId = decodeCursor(cursor, fingerprint(query), 512);
  if (typeof eventId !== 'string' || !EVENT_ID_PATTERN.test(eventId)) {
    throw new InvalidCursorError();
  }
  return eventId;
}

/** Inclusive epoch-ms bounds of a query as event-id bounds (ids sort by time). */
export function eventIdRange(query: ListEventsQuery): {
  readonly low: string;
  readonly high: string;
} {
  const low =
    query.fromMs === undefined
      ? ''
      : String(Math.max(0, Math.floor(query.fromMs))).padStart(13, '0');
  // '~' sorts after every hex digit, so `<ms>-~` is above every id of that millisecond.
  const high =
    query.toMs === undefined
      ? '~'
      : query.toMs < 0
        ? ''
        : `${String(Math.floor(query.toMs)).padStart(13, '0')}-~`;
  return { low, high };
}
