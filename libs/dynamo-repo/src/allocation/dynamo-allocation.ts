import {
  AllocationInProgressError,
  type AllocationRequest,
  type AllocationResult,
  CLAIM_POLICY,
  type Clock,
  ConcurrentModificationError,
  type LeasePolicy,
  leaseExpiry,
  NoSandboxesAvailableError,
  nowSeconds,
  type SandboxAllocationRepository,
  SandboxStatus,
  type TrackQuotaCounter,
} from '@broker/domain';
import { setTimeout as sleep } from 'node:timers/promises';
import { allocationSortKey, claimPk } from '../keys/item-keys';
import { type ClaimItem, classifyClaimItem } from '../mapping/claim-item';
import { toSandbox } from '../mapping/sandbox-item';
import type { DynamoSandboxReads, SandboxTable } from '../pool/dynamo-sandbox-reads';
import type { TransitionWriter } from '../transitions/transition-writer';
import { fetchAvailableCandidates } from './candidate-source';
import { type Candidate, CandidatePool, type CandidatePoolOptions } from './candidate-pool';
import type { ClaimWrites, HeldClaim } from './claim-writes';
import type { EarmarkedDraw } from '../reservations/earmarked-draw';
import { withQuotaUnit } from './quota-unit';

export interface DynamoAllocationOptions {
  readonly table: SandboxTable;
  readonly writer: TransitionWriter;
  readonly claims: ClaimWrites;
  readonly reads: DynamoSandboxReads;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly candidatePool?: Partial<CandidatePoolOptions>;
  /**
   * Called (synchronously) each time the conditional claim of a candidate sandbox loses to a
   * concurrent allocation and the next candidate is tried; for `broker_allocate_conflicts_total`.
   */
  readonly onContention?: () => void;
  /** Per-track quotas: a new allocation holds one unit of its track's quota (quota-unit.ts). */
  readonly quota?: TrackQuotaCounter;
  /** Class allocations draw from their reservation's earmarked set first (issue #16). */
  readonly earmarked?: EarmarkedDraw;
}

type AttemptOutcome =
  { readonly kind: 'done'; readonly result: AllocationResult } | { readonly kind: 'lost' };

/** Conditional-failure rounds (claim vanished, taken over by another request) per allocation. */
const MAX_CLAIM_ROUNDS = 20;
/** Candidates tried under one claim before giving up with a retryable error. */
const MAX_CANDIDATE_ATTEMPTS = 64;
/** How often a repeat request re-reads an in-flight claim, and for how long at most. */
const CLAIM_POLL_MS = 15;
const MAX_CLAIM_WAIT_MS = CLAIM_POLICY.writerWindowMs + CLAIM_POLICY.takeoverMarginMs + 1_000;

/**
 * The claim protocol (libs/dynamo-repo/README.md): a per-student claim item (conditional put)
 * plus one conditional transition of a candidate from the in-process CandidatePool. Happy path:
 * two writes, no read.
 */
export class DynamoAllocation implements SandboxAllocationRepository {
  private readonly pool: CandidatePool;
  private readonly claims: ClaimWrites;

  constructor(private readonly options: DynamoAllocationOptions) {
    const { table } = options;
    this.claims = options.claims;
    this.pool = new CandidatePool(
      (prefix, exclude, want) => fetchAvailableCandidates(table, prefix, exclude, want),
      options.candidatePool,
    );
  }

  async allocate(request: AllocationRequest): Promise<AllocationResult> {
    const prefix = request.namePrefix ?? '';
    const pk = claimPk(request.studentId, request.idempotencyKey);
    const waitUntil = Date.now() + MAX_CLAIM_WAIT_MS;
    let claimExists = false;
    let rounds = 0;
    for (;;) {
      let candidate: Candidate | null = null;
      let existing: ClaimItem | null = null;
      if (!claimExists) {
        // Happy path: claim put + sandbox update, no read.
        candidate = await this.nextCandidate(request);
        if (candidate) {
          const put = await this.guard(candidate, this.claims.put(pk, request, candidate.id));
          if (put.held) {
            const outcome = await this.allocateUnderClaim(put.held, candidate, request);
            if (outcome.kind === 'done') return outcome.result;
          } else {
            this.giveBack(candidate);
            existing = put.existing;
          }
        }
      }
      // A repeat: DynamoDB hands back the existing claim with the failed put; read it otherwise.
      const claim = existing ?? (await this.claims.get(pk));
      if (!claim) {
        if (!claimExists && !candidate) throw new NoSandboxesAvailableError(prefix || undefined);
        claimExists = false;
        rounds = nextRound(rounds);
        continue;
      }
      claimExists = true;
      const item = await this.options.reads.getItem(claim.sandbox_id);
      const state = classifyClaimItem(claim, item, this.options.clock.nowMs());
      switch (state) {
        case 'held':
          return { sandbox: toSandbox(item as Record<string, unknown>), created: false };
        case 'in_flight':
          if (Date.now() > waitUntil) throw new AllocationInProgressError();
          await sleep(CLAIM_POLL_MS);
          continue;
        case 'spent':
        case 'abandoned': {
          const next = await this.nextCandidate(request);
          if (!next) throw new NoSandboxesAvailableError(prefix || undefined);
          const held = await this.guard(
            next,
            this.claims.takeOver(claim, next.id, state === 'abandoned'),
          );
          if (held) {
            const outcome = await this.allocateUnderClaim(held, next, request);
            if (outcome.kind === 'done') return outcome.result;
          } else {
            this.giveBack(next);
          }
          rounds = nextRound(rounds);
          continue;
        }
      }
    }
  }

  /** Steps 3/4 under one unit of the track's quota; over quota the claim is dropped first. */
  private allocateUnderClaim(
    held: HeldClaim,
    candidate: Candidate,
    request: AllocationRequest,
  ): Promise<AttemptOutcome> {
    const refused = async (): Promise<void> => {
      this.giveBack(candidate);
      await this.claims.drop(held);
    };
    return withQuotaUnit(this.options.quota, request.trackName || undefined, refused, () =>
      this.takeUnderClaim(held, candidate, request),
    );
  }

  /**
   * Step 3/4 of the protocol: take `candidate` under the held claim; on a lost race point the
   * claim at the next candidate and try again. A sandbox is never written after the claim's
   * deadline; the claim itself may be extended, fenced by its token and deadline.
   */
  private async takeUnderClaim(
    initial: HeldClaim,
    first: Candidate,
    request: AllocationRequest,
  ): Promise<AttemptOutcome> {
    const prefix = request.namePrefix ?? '';
    let held = initial;
    let candidate = first;
    for (let attempt = 0; attempt < MAX_CANDIDATE_ATTEMPTS; attempt += 1) {
      if (this.options.clock.nowMs() >= held.deadlineMs) {
        const extended = await this.guard(candidate, this.claims.point(held, candidate.id));
        if (!extended) {
          this.giveBack(candidate);
          return { kind: 'lost' };
        }
        held = extended;
      }
      const taken = await this.guard(candidate, this.takeSandbox(candidate, held, request));
      this.markTaken(candidate);
      if (taken) {
        if (candidate.reservationId)
          await this.options.earmarked?.recordAllocated(candidate.reservationId);
        return { kind: 'done', result: { sandbox: toSandbox(taken), created: true } };
      }
      this.options.onContention?.();
      const next = await this.nextCandidate(request);
      if (!next) {
        await this.claims.drop(held);
        throw new NoSandboxesAvailableError(prefix || undefined);
      }
      const moved = await this.guard(next, this.claims.point(held, next.id));
      if (!moved) {
        this.giveBack(next);
        return { kind: 'lost' };
      }
      held = moved;
      candidate = next;
    }
    this.giveBack(candidate);
    throw new ConcurrentModificationError('The sandbox pool');
  }

  /** The reservation's earmarked set first when the request's track holds one, then the pool. */
  private async nextCandidate(request: AllocationRequest): Promise<Candidate | null> {
    const { earmarked } = this.options;
    const reserved = await earmarked?.take(request);
    if (reserved) return reserved;
    const general = await this.pool.take(request.namePrefix ?? '');
    if (general || !earmarked || !request.trackName) return general;
    // The pool is dry: a reservation may have opened after this process's copy of the ledger
    // (its earmarks are what emptied the pool). Look again on a fresh copy before a 409.
    return earmarked.take(request, { fresh: true });
  }

  private giveBack(candidate: Candidate): void {
    if (candidate.reservationId) this.options.earmarked?.giveBack(candidate);
    else this.pool.giveBack(candidate);
  }

  private markTaken(candidate: Candidate): void {
    if (candidate.reservationId) this.options.earmarked?.markTaken(candidate);
    else this.pool.markTaken(candidate);
  }

  /**
   * The transition that makes a sandbox the student's: a pool candidate must still be
   * `available` (never `reserved`: an earmarked sandbox is not the pool's), an earmarked one still
   * `reserved` for the reservation the request's track holds.
   */
  private takeSandbox(
    candidate: Candidate,
    held: HeldClaim,
    request: AllocationRequest,
  ): Promise<Record<string, unknown> | null> {
    const now = nowSeconds(this.options.clock);
    const prefix = request.namePrefix ?? '';
    const track = request.trackName ? request.trackName : undefined;
    const rid = candidate.reservationId;
    const conditions = [
      ...(prefix ? ['begins_with(#name, :prefix)'] : []),
      ...(rid ? ['reservation_id = :rid'] : []),
    ];
    return this.options.writer.apply({
      sandboxId: candidate.id,
      to: SandboxStatus.Allocated,
      by: 'student',
      from: [rid ? SandboxStatus.Reserved : SandboxStatus.Available],
      now,
      ...(conditions.length ? { condition: conditions.join(' AND ') } : {}),
      ...(prefix ? { names: { '#name': 'name' } } : {}),
      ...(rid ? { remove: ['type_pk', 'type_sk'] } : {}),
      set:
        'owner_id = :sid, idempotency_key = :key, claim_token = :token, allocated_at = :now, ' +
        'expires_at = :expires, owner_pk = :sid, owner_sk = :osk' +
        (track ? ', track_name = :track, track_pk = :track, track_sk = :osk' : ''),
      values: {
        ':sid': request.studentId,
        ':key': request.idempotencyKey,
        ':token': held.token,
        ':expires': leaseExpiry(now, this.options.lease, request.leaseSeconds),
        ':osk': allocationSortKey(now, candidate.id),
        ...(track ? { ':track': track } : {}),
        ...(prefix ? { ':prefix': prefix } : {}),
        ...(rid ? { ':rid': rid } : {}),
      },
      returnValues: 'ALL_NEW',
    });
  }

  /** An unexpected error must not leave the candidate marked in flight. */
  private async guard<T>(candidate: Candidate, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      this.giveBack(candidate);
      throw error;
    }
  }
}

function nextRound(rounds: number): number {
  if (rounds + 1 >= MAX_CLAIM_ROUNDS) throw new ConcurrentModificationError('The allocation claim');
  return rounds + 1;
}
