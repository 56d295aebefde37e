import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  ForceRequiredError,
  InvalidTransitionError,
  nowSeconds,
  SANDBOX_ADMIN_REPOSITORY,
  SANDBOX_EVENT_LOG,
  SANDBOX_LIFECYCLE_REPOSITORY,
  SANDBOX_READ_REPOSITORY,
  type Sandbox,
  type SandboxAdminRepository,
  type SandboxEventLog,
  type SandboxLifecycleRepository,
  SandboxNotFoundError,
  type SandboxReadRepository,
  SandboxStatus,
  transitionEvent,
} from '@broker/domain';
import { forEachBounded, purgeStaleRows } from '@broker/jobs';

import { type AdminActor, adminActionEvent } from '../../common/admin-actor';

export type { AdminActor };

export type RepairAction = 'retry-deletion' | 'quarantine' | 'force-release';

export interface BulkResult {
  readonly matched: number;
  readonly changed: number;
  readonly skipped: number;
  readonly to: SandboxStatus;
  readonly hasMore: boolean;
}

/** Allocated rows and rows in deletion change only with force (see bulkDelete). */
const FORCE_ONLY: ReadonlySet<SandboxStatus> = new Set<SandboxStatus>([
  SandboxStatus.Allocated,
  // Earmarked for a class: taking it needs the operator's explicit force too.
  SandboxStatus.Reserved,
  SandboxStatus.PendingDeletion,
  SandboxStatus.Deleting,
]);
const PAGE = 100;
/** Stale rows one delete-stale call examines at most. */
const DELETE_STALE_LIMIT = 5000;
const CONCURRENCY = 8;

/**
 * Operator writes. Every row change is one conditional write on the row's current status (a row
 * that moved meanwhile is skipped and counted); every change and every bulk call is recorded in
 * the event log with the admin token's name and the request id.
 */
@Injectable()
export class AdminActionsService {
  constructor(
    @Inject(SANDBOX_ADMIN_REPOSITORY) private readonly admin: SandboxAdminRepository,
    @Inject(SANDBOX_READ_REPOSITORY) private readonly pool: SandboxReadRepository,
    @Inject(SANDBOX_LIFECYCLE_REPOSITORY)
    private readonly lifecycle: SandboxLifecycleRepository,
    @Inject(SANDBOX_EVENT_LOG) private readonly events: SandboxEventLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async repair(
    sandboxId: string,
    action: RepairAction,
    actor: AdminActor,
    reason = '',
  ): Promise<Sandbox> {
    const before = await this.pool.get(sandboxId);
    if (!before) throw new SandboxNotFoundError(sandboxId);
    const after =
      action === 'retry-deletion'
        ? await this.admin.retryDeletion(sandboxId)
        : action === 'quarantine'
          ? await this.admin.quarantine(sandboxId, reason)
          : await this.admin.forceRelease(sandboxId);
    if (!after) {
      const current = (await this.pool.get(sandboxId))?.status ?? before.status;
      throw new InvalidTransitionError(sandboxId, current, targetOf(action));
    }
    this.record(actor, sandboxId, before.status, after.status, action.replace('-', '_'), {
      ...(reason ? { reason } : {}),
    });
    return after;
  }

  /**
   * Up to `limit` rows in `status`: available, stale, deletion_failed, quarantined → pending
   * deletion (the cleanup job deletes them at the provider and tombstones them); with force,
   * allocated → pending_deletion (a forced release) and pending_deletion/deleting → deleted
   * directly (the operator asserts the accounts are gone). Rows are never removed from the table.
   */
  async bulkDelete(
    status: SandboxStatus,
    force: boolean,
    limit: number,
    actor: AdminActor,
  ): Promise<BulkResult> {
    if (FORCE_ONLY.has(status) && !force) throw new ForceRequiredError(status);
    const to =
      status === SandboxStatus.PendingDeletion || status === SandboxStatus.Deleting
        ? SandboxStatus.Deleted
        : SandboxStatus.PendingDeletion;
    const result = await this.forEachIn(status, limit, async (sandbox) => {
      const changed =
        to === SandboxStatus.Deleted
          ? await this.admin.tombstone(sandbox.sandboxId, status)
          : await this.admin.sendToDeletion(sandbox.sandboxId, status);
      if (changed) this.record(actor, sandbox.sandboxId, status, to, 'bulk_delete');
      return changed;
    });
    const summary = { ...result, to };
    this.summary(actor, 'bulk_delete', { status, force, ...counts(summary) });
    return summary;
  }

  /** Stale rows stale for at least `graceHours` → deleted: the stale-purge job's own pass. */
  async deleteStale(graceHours: number, actor: AdminActor): Promise<BulkResult> {
    const result = await purgeStaleRows(
      { pool: this.pool, lifecycle: this.lifecycle, clock: this.clock, events: this.events },
      {
        cutoff: nowSeconds(this.clock) - graceHours * 3600,
        stop: new AbortController().signal,
        limit: DELETE_STALE_LIMIT,
        actor: { kind: 'admin', id: actor.tokenName },
        action: 'delete_stale',
        requestId: actor.requestId,
      },
    );
    const summary: BulkResult = {
      matched: result.checked,
      changed: result.purged,
      skipped: result.checked - result.purged,
      hasMore: result.checked >= DELETE_STALE_LIMIT,
      to: SandboxStatus.Deleted,
    };
    this.summary(actor, 'delete_stale', { grace_hours: graceHours, ...counts(summary) });
    return summary;
  }

  /** Pages through a status (index reads) and applies `work` with bounded concurrency. */
  private async forEachIn(
    status: SandboxStatus,
    limit: number,
    work: (sandbox: Sandbox) => Promise<boolean>,
  ): Promise<Omit<BulkResult, 'to'>> {
    let matched = 0;
    let changed = 0;
    let cursor: string | undefined;
    let hasMore = false;
    do {
      const page = await this.pool.list({
        status,
        limit: Math.min(PAGE, limit - matched),
        ...(cursor ? { cursor } : {}),
      });
      matched += page.items.length;
      await forEachBounded(page.items, CONCURRENCY, async (sandbox) => {
        if (await work(sandbox)) changed += 1;
      });
      cursor = page.cursor ?? undefined;
      hasMore = cursor !== undefined;
    } while (cursor !== undefined && matched < limit);
    return { matched, changed, skipped: matched - changed, hasMore };
  }

  private record(
    actor: AdminActor,
    sandboxId: string,
    from: SandboxStatus,
    to: SandboxStatus,
    action: string,
    details: Record<string, string> = {},
  ): void {
    this.events.record(
      transitionEvent({
        sandboxId,
        from,
        to,
        actor: { kind: 'admin', id: actor.tokenName },
        action,
        requestId: actor.requestId,
        details,
      }),
    );
  }

  private summary(
    actor: AdminActor,
    action: string,
    details: Record<string, string | number | boolean>,
  ): void {
    this.events.record(adminActionEvent(actor, action, details));
  }
}

function targetOf(action: RepairAction): SandboxStatus {
  return action === 'quarantine' ? SandboxStatus.Quarantined : SandboxStatus.PendingDeletion;
}

function counts(r: BulkResult): Record<string, number | boolean | string> {
  return {
    matched: r.matched,
    changed: r.changed,
    skipped: r.skipped,
    has_more: r.hasMore,
    to: r.to,
  };
}
