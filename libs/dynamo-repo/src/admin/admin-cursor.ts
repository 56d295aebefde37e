import { InvalidCursorError } from '@broker/domain';

/** Where an admin listing stands: the status being walked (no-filter walk) and its inner cursor. */
export interface AdminPosition {
  /** Index into the status walk order (0 when one status or one index is read). */
  readonly step: number;
  /** The inner cursor (status listing) or the index's LastEvaluatedKey (owner/track). */
  readonly inner: string | Record<string, string> | null;
}

interface Body {
  readonly v: 1;
  readonly f: string;
  readonly s: number;
  readonly i: string | Record<string, string> | null;
}

export function encodeAdminCursor(filter: string, position: AdminPosition): string {
  const body: Body = { v: 1, f: filter, s: position.step, i: position.inner };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** Throws InvalidCursorError for anything but a cursor this filter issued (shape-checked). */
export function decodeAdminCursor(raw: string, filter: string, maxStep: number): AdminPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(raw)) throw new InvalidCursorError();
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const body = parsed as Partial<Body> | null;
  if (typeof body !== 'object' || body === null || body.v !== 1 || body.f !== filter) {
    throw new InvalidCursorError();
  }
  const step = body.s;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > maxStep) {
    throw new InvalidCursorError();
  }
  const inner = body.i;
  if (inner === null || typeof inner === 'string') return { step, inner: inner ?? null };
  if (
    typeof inner !== 'object' ||
    Array.isArray(inner) ||
    !Object.values(inner as Record<string, unknown>).every((v) => typeof v === 'string')
  ) {
    throw new InvalidCursorError();
  }
  return { step, inner: inner };
}
