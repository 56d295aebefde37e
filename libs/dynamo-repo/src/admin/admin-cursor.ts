import {
  asIndex,
  asStringRecord,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
} from '@broker/domain';

/** Where an admin listing stands: the status being walked (no-filter walk) and its inner cursor. */
export interface AdminPosition {
  /** Index into the status walk order (0 when one status or one index is read). */
  readonly step: number;
  /** The inner cursor (status listing) or the index's LastEvaluatedKey (owner/track). */
  readonly inner: string | Record<string, string> | null;
}

export function encodeAdminCursor(filter: string, position: AdminPosition): string {
  return encodeCursor(filter, { s: position.step, i: position.inner });
}

/** Throws InvalidCursorError for anything but a cursor this filter issued (shape-checked). */
export function decodeAdminCursor(raw: string, filter: string, maxStep: number): AdminPosition {
  const position = decodeCursor(raw, filter) as { s?: unknown; i?: unknown } | null;
  const step = asIndex(position?.s, maxStep);
  if (step === null) throw new InvalidCursorError();
  const inner = position?.i ?? null;
  if (inner === null || typeof inner === 'string') return { step, inner };
  const key = asStringRecord(inner);
  if (!key) throw new InvalidCursorError();
  return { step, inner: key };
}
