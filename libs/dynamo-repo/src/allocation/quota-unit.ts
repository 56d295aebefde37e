import type { TrackQuotaCounter } from '@broker/domain';

/**
 * Runs one new allocation's sandbox write holding a unit of its track's quota: acquire (one
 * conditional counter write, skipped for tracks without a quota), then `work`; the unit goes
 * back when `work` did not end with a sandbox (`kind !== 'done'`) or threw. Called only once the
 * student's claim is ours, so a repeat by a student who holds a sandbox never reaches it (200
 * even at the quota). When the quota refuses, `onRefused` undoes the claim first, then
 * TrackQuotaExceededError propagates.
 */
export async function withQuotaUnit<T extends { readonly kind: string }>(
  quota: TrackQuotaCounter | undefined,
  track: string | undefined,
  onRefused: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  if (!quota || !track) return work();
  let outcome: 'acquired' | 'unlimited';
  try {
    outcome = await quota.acquire(track);
  } catch (error) {
    await onRefused().catch(() => undefined);
    throw error;
  }
  if (outcome === 'unlimited') return work();
  try {
    const result = await work();
    if (result.kind !== 'done') await giveBack(quota, track);
    return result;
  } catch (error) {
    await giveBack(quota, track);
    throw error;
  }
}

/** Best effort: a unit not given back (store down) is drift the quota-repair job corrects. */
async function giveBack(quota: TrackQuotaCounter, track: string): Promise<void> {
  await quota.release(track).catch(() => undefined);
}
