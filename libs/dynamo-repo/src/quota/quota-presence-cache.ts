/**
 * Which tracks have a quota, as this process last saw it, for `ttlMs`. Only "no quota" is ever
 * trusted without a write: a track cached as unlimited skips the counter entirely (no I/O on the
 * hot path of tracks without quotas); a track with a quota, or not cached, always goes to the
 * conditional write, which is authoritative. So a stale entry can only mean that a quota created
 * less than `ttlMs` ago is not yet enforced by this process (and its counter misses those
 * allocations until the quota-repair job recounts); a deleted quota is noticed on the next write.
 */
export class QuotaPresenceCache {
  private readonly unlimitedUntil = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly nowMs: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  /** True when `track` was seen without a quota less than `ttlMs` ago. */
  isUnlimited(track: string): boolean {
    const until = this.unlimitedUntil.get(track);
    if (until === undefined) return false;
    if (until > this.nowMs()) return true;
    this.unlimitedUntil.delete(track);
    return false;
  }

  markUnlimited(track: string): void {
    if (this.ttlMs <= 0) return;
    // Bounded: a flood of distinct slugs evicts the oldest entries (Map keeps insertion order).
    if (this.unlimitedUntil.size >= this.maxEntries) {
      const oldest = this.unlimitedUntil.keys().next();
      if (!oldest.done) this.unlimitedUntil.delete(oldest.value);
    }
    this.unlimitedUntil.set(track, this.nowMs() + this.ttlMs);
  }

  /** The track has (or may have) a quota now: this process's own put/delete calls it. */
  forget(track: string): void {
    this.unlimitedUntil.delete(track);
  }
}
