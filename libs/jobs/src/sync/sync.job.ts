import {
  nowSeconds,
  SandboxStatus,
  type Clock,
  type ProviderSandbox,
  type ProviderUpsertOutcome,
  type SandboxEventLog,
  type SandboxLifecycleRepository,
  type SandboxProvider,
  type Sandbox,
  type SandboxRepository,
} from '@broker/domain';
import { recordJobTransition } from '../events/job-events';
import { forEachBounded } from '../limits/bounded';
import { sandboxesIn } from '../limits/pages';
import type { TokenBucket } from '../limits/token-bucket';
import {
  errorText,
  silentJobLogger,
  type Job,
  type JobContext,
  type JobLogger,
} from '../runner/job';

export interface SyncOptions {
  /** Conditional writes in flight at once (default 8). */
  readonly concurrency?: number;
  /** Rows per index page when looking for vanished sandboxes (default 100). */
  readonly pageSize?: number;
  /** Direct account reads per run that confirm an absence (default 500; the rest wait). */
  readonly maxConfirmReads?: number;
  /** Listed tombstones deleted again at the provider per run (default 20; the rest next run). */
  readonly maxRedeletes?: number;
}

export interface SyncResult {
  /** Sandboxes the provider listed. */
  listed: number;
  inserted: number;
  refreshed: number;
  revived: number;
  /** Allocated-or-later rows and tombstones the provider still lists: left alone. */
  untouched: number;
  markedStale: number;
  /**
   * Available rows missing from the listing that a direct read found still active (the listing
   * changed while it was paged): not marked stale.
   */
  stillListed: number;
  /** Missing rows whose direct read failed: left as they are until a later run confirms. */
  unconfirmed: number;
  /** Allocated sandboxes whose account the provider no longer lists as active (reported). */
  allocatedVanished: number;
  /** Tombstones (deleted) the provider still lists as active: reported, never ignored. */
  tombstonesListed: number;
  /** Of those, deleted again at the provider (the row stays a tombstone). */
  tombstonesRedeleted: number;
  /** Provider rows whose write failed (retried by the next run). */
  failed: number;
  /** Stale marking skipped: the provider listed nothing, which is more likely a fault. */
  staleMarkingSkipped: boolean;
  /** The run stopped early (shutdown or lost lease). */
  stopped: boolean;
}

export interface SyncDeps {
  readonly provider: Pick<SandboxProvider, 'listSandboxes' | 'readAccount' | 'deleteSandbox'>;
  readonly pool: Pick<SandboxRepository, 'upsertFromProvider' | 'list' | 'get'>;
  readonly lifecycle: Pick<SandboxLifecycleRepository, 'markStale' | 'recordSyncDiscrepancies'>;
  readonly clock: Clock;
  readonly logger?: JobLogger;
  /** Audit trail: inserted (→ available), revived (stale → available), marked stale. */
  readonly events?: SandboxEventLog;
  /** The cleanup's delete rate limit: a tombstone's second delete takes a token too. */
  readonly limiter?: TokenBucket;
}

/**
 * Provider → table. Every page of the provider's list; new sandboxes inserted available;
 * provider fields refreshed on available rows only; stale rows seen again revived; available
 * rows the provider no longer lists marked stale. Allocated-or-later rows and tombstones are never
 * touched: every write is conditional on the row's status (see the repositories).
 */
export class SyncJob implements Job<SyncResult> {
  readonly name = 'sync' as const;
  private readonly logger: JobLogger;

  constructor(
    private readonly deps: SyncDeps,
    private readonly options: SyncOptions = {},
  ) {
    this.logger = deps.logger ?? silentJobLogger;
  }

  async run(ctx: JobContext): Promise<SyncResult> {
    const { provider, pool, lifecycle, clock } = this.deps;
    const startedAt = nowSeconds(clock);
    // A failed list fails the run and changes nothing.
    const listed = await provider.listSandboxes();
    const result: SyncResult = {
      listed: listed.length,
      inserted: 0,
      refreshed: 0,
      revived: 0,
      untouched: 0,
      markedStale: 0,
      stillListed: 0,
      unconfirmed: 0,
      allocatedVanished: 0,
      tombstonesListed: 0,
      tombstonesRedeleted: 0,
      failed: 0,
      staleMarkingSkipped: false,
      stopped: false,
    };
    const counters: Record<
      ProviderUpsertOutcome,
      'inserted' | 'refreshed' | 'revived' | 'untouched'
    > = {
      inserted: 'inserted',
      refreshed: 'refreshed',
      revived: 'revived',
      untouched: 'untouched',
    };

    await forEachBounded(
      listed,
      this.options.concurrency ?? 8,
      async (sandbox) => {
        try {
          const outcome = await pool.upsertFromProvider(sandbox);
          result[counters[outcome]] += 1;
          if (outcome === 'untouched') await this.checkTombstone(sandbox, result, ctx);
          if (outcome === 'inserted' || outcome === 'revived') {
            recordJobTransition(this.deps.events, this.name, {
              sandboxId: sandbox.sandboxId,
              ...(outcome === 'revived' ? { from: SandboxStatus.Stale } : {}),
              to: SandboxStatus.Available,
              action: outcome === 'inserted' ? 'insert' : 'revive',
            });
          }
        } catch (error) {
          result.failed += 1;
          this.logger.warn(
            { job: this.name, sandboxId: sandbox.sandboxId, err: errorText(error) },
            'sync write failed',
          );
        }
      },
      () => ctx.stop.aborted,
    );
    if (ctx.stop.aborted) return { ...result, stopped: true };

    if (listed.length === 0) {
      this.logger.warn({ job: this.name }, 'provider listed no sandboxes; not marking any stale');
      return { ...result, staleMarkingSkipped: true };
    }
    const present = new Set(listed.map((s) => s.sandboxId));
    const vanished: Sandbox[] = [];
    const allocatedMissing: Sandbox[] = [];
    const pageSize = this.options.pageSize ?? 100;
    for await (const row of sandboxesIn(pool, SandboxStatus.Available, {
      pageSize,
      signal: ctx.stop,
    })) {
      if (!present.has(row.sandboxId)) vanished.push(row);
    }
    // Earmarked for a class: a vanished one is marked stale (it leaves the reservation's set,
    // reported below) and the reservation job earmarks a replacement if stock allows.
    for await (const row of sandboxesIn(pool, SandboxStatus.Reserved, {
      pageSize,
      signal: ctx.stop,
    })) {
      if (!present.has(row.sandboxId)) vanished.push(row);
    }
    for await (const row of sandboxesIn(pool, SandboxStatus.Allocated, {
      pageSize,
      signal: ctx.stop,
    })) {
      if (!present.has(row.sandboxId)) allocatedMissing.push(row);
    }
    // Absence from one listing is no proof (offset paging skips accounts when the list changes
    // between pages): each missing row is confirmed by a direct read of its account first.
    const maxReads = this.options.maxConfirmReads ?? 500;
    const toRead = [...vanished, ...allocatedMissing].slice(0, maxReads);
    result.unconfirmed += vanished.length + allocatedMissing.length - toRead.length;
    await forEachBounded(
      toRead,
      this.options.concurrency ?? 8,
      async (row) => {
        try {
          const read = await provider.readAccount(row.externalId);
          if (read.kind === 'active') {
            if (row.status === SandboxStatus.Available) result.stillListed += 1;
            return;
          }
          if (read.kind !== 'inactive') {
            result.unconfirmed += 1;
            this.logger.warn(
              { job: this.name, sandboxId: row.sandboxId, err: read.reason },
              'could not confirm a missing account; left as is',
            );
            return;
          }
          if (row.status === SandboxStatus.Allocated) {
            result.allocatedVanished += 1;
            this.logger.warn(
              { job: this.name, sandboxId: row.sandboxId },
              'allocated sandbox: the provider no longer lists its account',
            );
            recordJobTransition(this.deps.events, this.name, {
              sandboxId: row.sandboxId,
              from: SandboxStatus.Allocated,
              to: SandboxStatus.Allocated,
              action: 'provider_account_vanished',
            });
            return;
          }
          // Conditional: still available and not synced by this run (an allocation wins).
          if (await lifecycle.markStale(row.sandboxId, startedAt)) {
            result.markedStale += 1;
            recordJobTransition(this.deps.events, this.name, {
              sandboxId: row.sandboxId,
              from: row.status,
              to: SandboxStatus.Stale,
              action: row.status === SandboxStatus.Reserved ? 'reserved_vanished' : 'mark_stale',
              ...(row.reservationId ? { details: { reservation_id: row.reservationId } } : {}),
            });
          }
        } catch (error) {
          result.failed += 1;
          this.logger.warn(
            { job: this.name, sandboxId: row.sandboxId, err: errorText(error) },
            'mark stale failed',
          );
        }
      },
      () => ctx.stop.aborted,
    );
    if (ctx.stop.aborted) return { ...result, stopped: true };
    // A complete run: its findings replace the last snapshot the admin stats show.
    await lifecycle.recordSyncDiscrepancies({
      tombstonesStillListed: result.tombstonesListed,
      allocatedVanished: result.allocatedVanished,
      atMs: clock.nowMs(),
    });
    return result;
  }

  /**
   * A listed account whose row was left alone: if the row is a tombstone, the provider still
   * lists a sandbox we took as deleted. Reported (event, counter, warning) and deleted again at
   * the provider, rate-limited like the cleanup (at most `maxRedeletes` per run); the row stays a
   * tombstone, so the account never returns to the pool.
   */
  private async checkTombstone(
    listed: ProviderSandbox,
    result: SyncResult,
    ctx: JobContext,
  ): Promise<void> {
    const row = await this.deps.pool.get(listed.sandboxId);
    if (row?.status !== SandboxStatus.Deleted) return;
    result.tombstonesListed += 1;
    this.logger.warn(
      { job: this.name, sandboxId: listed.sandboxId },
      'tombstoned sandbox is still listed as active by the provider',
    );
    let redeleted = 'not_tried';
    if (result.tombstonesRedeleted < (this.options.maxRedeletes ?? 20) && !ctx.stop.aborted) {
      const { limiter } = this.deps;
      const outcome = await this.deps.provider.deleteSandbox(listed.externalId, {
        ...(limiter ? { beforeAttempt: () => limiter.take(ctx.abandon) } : {}),
      });
      redeleted = outcome.kind === 'gone' ? 'gone' : outcome.kind;
      if (outcome.kind === 'gone') result.tombstonesRedeleted += 1;
    }
    recordJobTransition(this.deps.events, this.name, {
      sandboxId: listed.sandboxId,
      from: SandboxStatus.Deleted,
      to: SandboxStatus.Deleted,
      action: 'tombstone_still_listed',
      details: { redelete: redeleted },
    });
  }
}
