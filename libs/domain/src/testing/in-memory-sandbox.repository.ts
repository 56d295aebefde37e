import type { AllocationRequest, AllocationResult, ReleaseResult } from '../allocation/allocation';
import { CLAIM_POLICY, classifyClaim } from '../allocation/claim-policy';
import {
  type ExtensionPolicy,
  leaseExpiry,
  type LeasePolicy,
  nextExtension,
} from '../allocation/lease-policy';
import {
  AllocationInProgressError,
  ExtensionLimitReachedError,
  SandboxNotAllocatedError,
  NoSandboxesAvailableError,
  NotSandboxOwnerError,
  SandboxNotFoundError,
} from '../errors/domain-errors';
import { nowSeconds, type Clock } from '../ports/clock';
import type { Page } from '../ports/page';
import type {
  AllocationClaim,
  ClaimRepairOutcome,
  ListSandboxesQuery,
  ProviderUpsertOutcome,
  SandboxRepository,
} from '../ports/sandbox-repository';
import type { ProviderSandbox, Sandbox } from '../sandbox/sandbox';
import { externalAccountKey } from '../sandbox/external-id';
import {
  InMemoryRows,
  pageByKey,
  type StoredClaim,
  type StoredRow,
  type SupersededCandidate,
} from './in-memory-rows';
import { ALL_SANDBOX_STATUSES, SandboxStatus } from '../sandbox/sandbox-status';
import { acquireQuotaUnit } from './in-memory-track-quotas';
import { upsertProviderRow } from './in-memory-provider-sync';

export interface InMemorySandboxRepositoryOptions {
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  /** The rows to share with other repositories of one store (a new set by default). */
  readonly rows?: InMemoryRows;
}

/**
 * The repository port over two Maps, for tests and demos without a database. Every method runs
 * synchronously to completion, so each state change is atomic, like a single conditional write.
 * Semantics follow the DynamoDB repository (claims per student + key, idempotent release,
 * tombstones, opaque cursors, exact counts); the contract suite in libs/dynamo-repo runs both.
 */
export class InMemorySandboxRepository implements SandboxRepository {
  /** Shared with the lifecycle and admin fakes of the same store. */
  readonly store: InMemoryRows;
  private readonly rows: Map<string, StoredRow>;
  private readonly claims: Map<string, StoredClaim>;
  private readonly clock: Clock;
  private readonly lease: LeasePolicy;
  private tokenSequence = 0;

  constructor(options: InMemorySandboxRepositoryOptions) {
    this.clock = options.clock;
    this.lease = options.lease;
    this.store = options.rows ?? new InMemoryRows(options.clock);
    this.rows = this.store.rows;
    this.claims = this.store.claims;
  }

  /** Insert provider sandboxes as available (same rules as sync). */
  seed(sandboxes: readonly ProviderSandbox[]): void {
    for (const sandbox of sandboxes) upsertProviderRow(this.store, this.clock, sandbox);
  }

  /** Every row, including tombstones, with the claim token it was allocated under (tests). */
  snapshot(): Array<Sandbox & { readonly claimToken?: string }> {
    return [...this.rows.values()].map((row) =>
      row.claimToken === undefined ? row.sandbox : { ...row.sandbox, claimToken: row.claimToken },
    );
  }

  /** The stored claim of a student + key, if any (tests). */
  claimOf(studentId: string, idempotencyKey: string): AllocationClaim | null {
    const claim = this.claims.get(claimKey(studentId, idempotencyKey));
    return claim ? toClaim(claim) : null;
  }

  /**
   * Write a claim as a writer that crashed after the claim put would have left it (tests);
   * `listed`: as after a takeover (the repair job sees it), or as a first allocation's claim.
   */
  plantClaim(claim: AllocationClaim, listed = true): void {
    this.claims.set(claimKey(claim.studentId, claim.idempotencyKey), {
      studentId: claim.studentId,
      idempotencyKey: claim.idempotencyKey,
      sandboxId: claim.sandboxId,
      token: claim.token,
      createdAt: claim.createdAt,
      deadlineMs: claim.deadlineMs,
      superseded: [],
      open: listed,
    });
  }

  /**
   * The late write of a writer presumed dead: allocate `sandboxId` to the claim's student under
   * `token`, if it is still available (tests of orphan repair).
   */
  plantLateAllocation(
    sandboxId: string,
    claim: { studentId: string; idempotencyKey: string; token: string },
  ): boolean {
    return this.allocated(sandboxId, claim, claim.token, undefined) !== null;
  }

  /** Put a row into a status directly, as another job would (tests). */
  forceStatus(sandboxId: string, status: SandboxStatus): void {
    const row = this.rows.get(sandboxId);
    if (!row) throw new SandboxNotFoundError(sandboxId);
    this.rows.set(sandboxId, { ...row, sandbox: { ...row.sandbox, status } });
  }

  allocate(request: AllocationRequest): Promise<AllocationResult> {
    return settle(() => this.allocateSync(request));
  }

  get(sandboxId: string): Promise<Sandbox | null> {
    return Promise.resolve(this.rows.get(sandboxId)?.sandbox ?? null);
  }

  findByExternalId(externalId: string): Promise<Sandbox | null> {
    const key = externalAccountKey(externalId);
    if (key === null) return Promise.resolve(null);
    const found = [...this.rows.values()]
      .map((row) => row.sandbox)
      .filter((s) => externalAccountKey(s.externalId) === key)
      .sort((a, b) => (a.sandboxId < b.sandboxId ? -1 : a.sandboxId > b.sandboxId ? 1 : 0));
    return Promise.resolve(found[0] ?? null);
  }

  release(sandboxId: string, studentId: string): Promise<ReleaseResult> {
    return settle(() => {
      const row = this.rows.get(sandboxId);
      if (!row) throw new SandboxNotFoundError(sandboxId);
      if (row.sandbox.ownerId !== studentId) throw new NotSandboxOwnerError(sandboxId);
      const sandbox = this.store.transition({
        sandboxId,
        to: SandboxStatus.PendingDeletion,
        by: 'student',
        fields: (now) => ({ deletionRequestedAt: now }),
      });
      return sandbox ? { sandbox, changed: true } : { sandbox: row.sandbox, changed: false };
    });
  }

  /** Same checks and step as the DynamoDB write; atomic because it runs synchronously. */
  extend(sandboxId: string, studentId: string, policy: ExtensionPolicy): Promise<Sandbox> {
    return settle(() => {
      const row = this.rows.get(sandboxId);
      if (!row) throw new SandboxNotFoundError(sandboxId);
      if (row.sandbox.ownerId !== studentId) throw new NotSandboxOwnerError(sandboxId);
      if (row.sandbox.status !== SandboxStatus.Allocated) {
        throw new SandboxNotAllocatedError(sandboxId, row.sandbox.status);
      }
      const step = nextExtension(row.sandbox, policy);
      if (!step.ok) throw new ExtensionLimitReachedError(sandboxId, step.limits);
      const sandbox: Sandbox = {
        ...row.sandbox,
        expiresAt: step.expiresAt,
        extensionCount: step.extensionCount,
        updatedAt: nowSeconds(this.clock),
        version: row.sandbox.version + 1,
      };
      this.rows.set(sandboxId, { ...row, sandbox });
      return sandbox;
    });
  }

  upsertFromProvider(sandbox: ProviderSandbox): Promise<ProviderUpsertOutcome> {
    return settle(() => upsertProviderRow(this.store, this.clock, sandbox));
  }

  list(query: ListSandboxesQuery): Promise<Page<Sandbox>> {
    return settle(() => {
      const prefix = query.namePrefix ?? '';
      const filter = `${query.status}|${prefix}`;
      const inStatus = [...this.rows.values()]
        .map((row) => row.sandbox)
        .filter((s) => s.status === query.status && s.name.startsWith(prefix));
      return pageByKey(inStatus, sortKey, query, filter);
    });
  }

  countByStatus(): Promise<Record<SandboxStatus, number>> {
    const counts = Object.fromEntries(ALL_SANDBOX_STATUSES.map((s) => [s, 0])) as Record<
      SandboxStatus,
      number
    >;
    for (const row of this.rows.values()) counts[row.sandbox.status] += 1;
    return Promise.resolve(counts);
  }

  listOpenClaims(olderThanMs: number, limit: number): Promise<AllocationClaim[]> {
    const open = [...this.claims.values()]
      .filter((c) => c.open && c.deadlineMs < olderThanMs)
      .sort((a, b) => a.deadlineMs - b.deadlineMs)
      .slice(0, limit);
    return Promise.resolve(open.map(toClaim));
  }

  repairClaim(claim: AllocationClaim): Promise<ClaimRepairOutcome> {
    return settle(() => {
      const key = claimKey(claim.studentId, claim.idempotencyKey);
      const current = this.claims.get(key);
      if (!current || current.token !== claim.token || current.sandboxId !== claim.sandboxId) {
        return 'skipped';
      }
      const row = this.rows.get(current.sandboxId);
      const state = classifyClaim(current, row ? viewOf(row) : null, this.clock.nowMs());
      if (state === 'in_flight') return 'skipped';
      this.releaseOrphans(current);
      if (state === 'abandoned') {
        this.claims.delete(key);
        return 'abandoned';
      }
      this.claims.set(key, { ...current, superseded: [], open: false });
      return 'confirmed';
    });
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  private allocateSync(request: AllocationRequest): AllocationResult {
    const nowMs = this.clock.nowMs();
    const key = claimKey(request.studentId, request.idempotencyKey);
    const existing = this.claims.get(key);
    let superseded: readonly SupersededCandidate[] = [];
    if (existing) {
      const row = this.rows.get(existing.sandboxId);
      const state = classifyClaim(existing, row ? viewOf(row) : null, nowMs);
      switch (state) {
        case 'held':
          if (!row) throw new Error('unreachable: held claim without a row');
          return { sandbox: row.sandbox, created: false };
        case 'in_flight':
          throw new AllocationInProgressError();
        case 'spent':
          superseded = existing.superseded;
          break;
        case 'abandoned':
          superseded = [
            ...existing.superseded,
            { sandboxId: existing.sandboxId, token: existing.token },
          ];
          break;
      }
    }
    const prefix = request.namePrefix ?? '';
    // A class member draws from the reservation's earmarked set first, then from the pool.
    const reservationId = this.store.reservations?.servingReservation(request.trackName, prefix);
    const rows = [...this.rows.values()];
    const candidate =
      (reservationId &&
        rows.find(
          (row) =>
            row.sandbox.status === SandboxStatus.Reserved &&
            row.sandbox.reservationId === reservationId &&
            row.sandbox.name.startsWith(prefix),
        )) ||
      rows.find(
        (row) =>
          row.sandbox.status === SandboxStatus.Available && row.sandbox.name.startsWith(prefix),
      );
    if (!candidate) throw new NoSandboxesAvailableError(prefix || undefined);
    // A new holding takes a unit of the track's quota (TrackQuotaExceededError when full); a
    // repeat returned above never does. Same step as the allocation, so both or neither.
    if (request.trackName) acquireQuotaUnit(this.store, request.trackName);
    this.tokenSequence += 1;
    const token = `mem-${this.tokenSequence}-${nowMs}`;
    const from = candidate.sandbox.status;
    const sandbox = this.allocated(
      candidate.sandbox.sandboxId,
      request,
      token,
      request.trackName,
      from,
    );
    if (!sandbox) throw new Error('unreachable: the candidate was available');
    if (from === SandboxStatus.Reserved && sandbox.reservationId) {
      this.store.reservations?.allocatedFrom(sandbox.reservationId);
    }
    this.claims.set(key, {
      studentId: request.studentId,
      idempotencyKey: request.idempotencyKey,
      sandboxId: sandbox.sandboxId,
      token,
      createdAt: existing?.createdAt ?? nowMs,
      deadlineMs: nowMs + CLAIM_POLICY.writerWindowMs,
      superseded,
      // Claim and allocation happen in one step here; only a superseded orphan needs repair.
      open: superseded.length > 0,
    });
    return { sandbox, created: true };
  }

  /** available → allocated for the student under the claim's token; null if not available. */
  private allocated(
    sandboxId: string,
    owner: { studentId: string; idempotencyKey: string; leaseSeconds?: number },
    token: string,
    trackName: string | undefined,
    from: SandboxStatus = SandboxStatus.Available,
  ): Sandbox | null {
    return this.store.transition({
      sandboxId,
      to: SandboxStatus.Allocated,
      by: 'student',
      from: [from],
      claimToken: token,
      fields: (now) => ({
        ownerId: owner.studentId,
        idempotencyKey: owner.idempotencyKey,
        ...(trackName ? { trackName } : {}),
        allocatedAt: now,
        expiresAt: leaseExpiry(now, this.lease, owner.leaseSeconds),
      }),
    });
  }

  /** Superseded candidates still allocated under a dead writer's token go to deletion. */
  private releaseOrphans(claim: StoredClaim): void {
    for (const orphan of claim.superseded) {
      this.store.transition({
        sandboxId: orphan.sandboxId,
        to: SandboxStatus.PendingDeletion,
        by: 'repair',
        from: [SandboxStatus.Allocated],
        when: (row) => row.claimToken === orphan.token,
        fields: (now) => ({ deletionRequestedAt: now }),
      });
    }
  }
}

function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function claimKey(studentId: string, idempotencyKey: string): string {
  return JSON.stringify([studentId, idempotencyKey]);
}

function viewOf(row: StoredRow) {
  return { status: row.sandbox.status, ownerId: row.sandbox.ownerId, claimToken: row.claimToken };
}

function toClaim(claim: StoredClaim): AllocationClaim {
  return {
    studentId: claim.studentId,
    idempotencyKey: claim.idempotencyKey,
    sandboxId: claim.sandboxId,
    token: claim.token,
    createdAt: claim.createdAt,
    deadlineMs: claim.deadlineMs,
    supersededSandboxIds: claim.superseded.map((s) => s.sandboxId),
  };
}

function sortKey(sandbox: Sandbox): string {
  return `${sandbox.name}#${sandbox.sandboxId}`;
}
