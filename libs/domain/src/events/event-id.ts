/**
 * A time-ordered event id: 13-digit epoch ms, then random hex, so string order is time order and
 * two events in the same millisecond still differ. (Web Crypto global: no Node import in the domain.)
 */
export function newEventId(atMs: number): string {
  const random = globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 12);
  return `${String(Math.max(0, Math.floor(atMs))).padStart(13, '0')}-${random}`;
}
