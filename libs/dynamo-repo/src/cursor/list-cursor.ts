import {
  asIndex,
  asStringRecord,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
} from '@broker/domain';
import { SHARD_COUNT } from '../schema/table-schema';

/** Position of a sharded StatusIndex listing: the shard being read and where in it. */
export interface ListPosition {
  readonly shard: number;
  readonly lastKey: Readonly<Record<string, string>> | null;
}

export function encodeListCursor(filter: string, position: ListPosition): string {
  return encodeCursor(filter, { s: position.shard, k: position.lastKey });
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
  const position = decodeCursor(raw, filter) as { s?: unknown; k?: unknown } | null;
  const shard = asIndex(position?.s, SHARD_COUNT - 1);
  if (shard === null) throw new InvalidCursorError();
  if (position?.k === null || position?.k === undefined) return { shard, lastKey: null };
  const key = asStringRecord(position.k);
  const names = key ? Object.keys(key) : [];
  if (
    !key ||
    names.length !== expectedKeys.length ||
    !names.every((name) => expectedKeys.includes(name))
  ) {
    throw new InvalidCursorError();
  }
  return { shard, lastKey: key };
}
