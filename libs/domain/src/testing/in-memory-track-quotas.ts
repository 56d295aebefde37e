import { TrackQuotaExceededError } from '../errors/domain-errors';
import { nowSeconds, type Clock } from '../ports/clock';
import type { Page, PageRequest } from '../ports/page';
import type { TrackQuotaRepository } from '../ports/track-quota-repository';
import {
  decodeQuotaCursor,
  encodeQuotaCursor,
  type QuotaAcquireOutcome,
  type TrackQuota,
  type TrackQuotaPut,
} from '../quota/track-quota';
import { SandboxStatus } from '../sandbox/sandbox-status';
import type { InMemoryRows } from './in-memory-rows';

/**
 * Synchronous acquire on the rows' quota map (the in-memory allocation calls it inside its one
 * synchronous step, so counter and sandbox change together). Throws TrackQuotaExceededError.
 */
export function acquireQuotaUnit(rows: InMemoryRows, track: string): QuotaAcquireOutcome {
  const quota = rows.quotas.get(track);
  if (!quota) return 'unlimited';
  if (quota.held >= quota.maxAllocated) {
    throw new TrackQuotaExceededError({
      track,
      max_allocated: quota.maxAllocated,
      held: quota.held,
    });
  }
  rows.quotas.set(track, { ...quota, held: quota.held + 1 });
  return 'acquired';
}

/** Synchronous release: `held - 1` if the track has a quota and `held > 0`. */
export function releaseQuotaUnit(rows: InMemoryRows, track: string): void {
  const quota = rows.quotas.get(track);
  if (quota && quota.held > 0) rows.quotas.set(track, { ...quota, held: quota.held - 1 });
}

/** The quota port over the rows' quota map: the in-memory twin of DynamoTrackQuotas. */
export class InMemoryTrackQuotaRepository implements TrackQuotaRepository {
  constructor(
    private readonly rows: InMemoryRows,
    private readonly clock: Clock,
  ) {}

  acquire(track: string): Promise<QuotaAcquireOutcome> {
    return run(() => acquireQuotaUnit(this.rows, track));
  }

  release(track: string): Promise<void> {
    releaseQuotaUnit(this.rows, track);
    return Promise.resolve();
  }

  put(track: string, maxAllocated: number, initialHeld: number): Promise<TrackQuotaPut> {
    const current = this.rows.quotas.get(track);
    const quota: TrackQuota = {
      track,
      maxAllocated,
      held: current?.held ?? initialHeld,
      updatedAt: nowSeconds(this.clock),
    };
    this.rows.quotas.set(track, quota);
    return Promise.resolve({ quota, created: !current });
  }

  get(track: string): Promise<TrackQuota | null> {
    return Promise.resolve(this.rows.quotas.get(track) ?? null);
  }

  delete(track: string): Promise<boolean> {
    return Promise.resolve(this.rows.quotas.delete(track));
  }

  list(page: PageRequest): Promise<Page<TrackQuota>> {
    return run(() => {
      const after = page.cursor === undefined ? null : decodeQuotaCursor(page.cursor);
      const sorted = [...this.rows.quotas.values()]
        .filter((q) => after === null || q.track > after)
        .sort((a, b) => (a.track < b.track ? -1 : a.track > b.track ? 1 : 0));
      const items = sorted.slice(0, Math.max(1, page.limit));
      const last = items[items.length - 1];
      const more = sorted.length > items.length && last;
      return { items, cursor: more ? encodeQuotaCursor(last.track) : null };
    });
  }

  countAllocatedByTrack(): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    for (const { sandbox } of this.rows.rows.values()) {
      if (sandbox.status !== SandboxStatus.Allocated || !sandbox.trackName) continue;
      counts.set(sandbox.trackName, (counts.get(sandbox.trackName) ?? 0) + 1);
    }
    return Promise.resolve(counts);
  }

  reconcile(track: string, expectedHeld: number, held: number): Promise<boolean> {
    const quota = this.rows.quotas.get(track);
    if (!quota || quota.held !== expectedHeld) return Promise.resolve(false);
    this.rows.quotas.set(track, { ...quota, held, updatedAt: nowSeconds(this.clock) });
    return Promise.resolve(true);
  }
}

function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
