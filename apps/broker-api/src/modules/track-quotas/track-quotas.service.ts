import { Inject, Injectable } from '@nestjs/common';
import {
  SANDBOX_STORE,
  type SandboxEventLog,
  type SandboxStore,
  type TrackQuota,
  TrackNotFoundError,
  type TrackQuotaPut,
} from '@broker/domain';
import { type AdminActor, adminActionEvent } from '../../common/admin-actor';

/**
 * Operator writes and reads of per-track quotas. A new quota's counter starts at the track's
 * allocated sandboxes as counted now (StatusIndex reads); allocations that land between that
 * count and the write are picked up by the worker's quota-repair job. Each change is an
 * `admin_action` event (`quota_set`, `quota_deleted`) with the token name and request id.
 */
@Injectable()
export class TrackQuotasService {
  constructor(@Inject(SANDBOX_STORE) private readonly store: SandboxStore) {}

  private get events(): SandboxEventLog {
    return this.store.events;
  }

  async put(track: string, maxAllocated: number, actor: AdminActor): Promise<TrackQuotaPut> {
    const existing = await this.store.quotas.get(track);
    const initialHeld = existing
      ? existing.held
      : ((await this.store.quotas.countAllocatedByTrack()).get(track) ?? 0);
    const result = await this.store.quotas.put(track, maxAllocated, initialHeld);
    this.record('quota_set', actor, {
      track,
      max_allocated: maxAllocated,
      held: result.quota.held,
      previous_max_allocated: existing?.maxAllocated ?? null,
    });
    return result;
  }

  async get(track: string): Promise<TrackQuota> {
    const quota = await this.store.quotas.get(track);
    if (!quota) throw new TrackNotFoundError(track);
    return quota;
  }

  async delete(track: string, actor: AdminActor): Promise<void> {
    if (!(await this.store.quotas.delete(track))) throw new TrackNotFoundError(track);
    this.record('quota_deleted', actor, { track });
  }

  list(limit: number, cursor: string | undefined) {
    return this.store.quotas.list({ limit, ...(cursor !== undefined ? { cursor } : {}) });
  }

  private record(
    action: string,
    actor: AdminActor,
    details: Record<string, string | number | null>,
  ): void {
    this.events.record(adminActionEvent(actor, action, details));
  }
}
