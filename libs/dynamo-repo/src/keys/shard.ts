import { SHARD_COUNT } from '../schema/table-schema';

/** 32-bit FNV-1a over the UTF-16 code units: stable across processes and releases. */
export function fnv1a32(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Shard number of an id, 0 … SHARD_COUNT-1. */
export function shardNumberOf(id: string): number {
  return fnv1a32(id) % SHARD_COUNT;
}

/** Two-digit shard label used in index partition keys (`00` … `15`). */
export function shardLabel(shard: number): string {
  return String(shard).padStart(2, '0');
}

export function shardOf(id: string): string {
  return shardLabel(shardNumberOf(id));
}

/** Every shard label in order. */
export const ALL_SHARDS: readonly string[] = Array.from({ length: SHARD_COUNT }, (_, i) =>
  shardLabel(i),
);
