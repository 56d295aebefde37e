import { InvalidCursorError } from '@broker/domain';
import { SHARD_COUNT } from '../schema/table-schema';

/** Position of a sharded StatusIndex listing: the shard being read and where in it. */
export interface ListPosition {
  readonly shard: number;
  readonly lastKey: Readonly<Record<string, string>> | null;
}

interface CursorBody {
  readonly v: 1;
  /** Fingerprint of the filter the cursor was issued for. */
  readonly f: string;
  readonly s: number;
  readonly k: Record<string, string> | null;
}

export function encodeListCursor(filter: string, position: ListPosition): string {
  const body: CursorBody = { v: 1, f: filter, s: position.shard, k: position.lastKey };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor issued for `filter`. `expectedKeys` lists the attributes a LastEvaluatedKey of
 * the index has; anything else (malformed, tampered, another filter) is an InvalidCursorError.
 */
export function decodeListCursor(
  raw: string,
  filter: string,
  expectedKeys: readonly string[],
): ListPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new InvalidCursorError();
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const body = parsed as Partial<CursorBody>;
  if (body.v !== 1 || body.f !== filter) throw new InvalidCursorError();
  const shard = body.s;
  if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0 || shard >= SHARD_COUNT) {
    throw new InvalidCursorError();
  }
  if (body.k === null || body.k === undefined) return { shard, lastKey: null };
  const key = body.k as unknown;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new InvalidCursorError();
  }
  const entries = Object.entries(key as Record<string, unknown>);
  const valid =
    entries.length === expectedKeys.length &&
    entries.every(([name, value]) => expectedKeys.includes(name) && typeof value === 'string');
  if (!valid) throw new InvalidCursorError();
  return { shard, lastKey: key as Record<string, string> };
}
