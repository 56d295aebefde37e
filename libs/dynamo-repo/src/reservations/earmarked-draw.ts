import {
  type AllocationRequest,
  type Clock,
  holdServes,
  type ReservationHold,
} from '@broker/domain';
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { toAttributeMap } from '../client/attribute-map';
import { nameOfSortKey, sandboxIdOfPk } from '../keys/item-keys';
import type { SandboxTable } from '../pool/dynamo-sandbox-reads';
import { INDEXES, KEY_ATTRIBUTES } from '../schema/table-schema';
import { type Candidate, CandidatePool } from '../allocation/candidate-pool';
import { liveHolds } from './dynamo-reservations';
import { earmarkTypePk, RESERVATION_SK, reservationPk } from './reservation-keys';
import { ReservationLedger } from './reservation-ledger';

/** A "fresh" copy of the ledger (asked for when the pool ran dry) may be this old (ms). */
const FRESH_MS = 1_000;

export interface EarmarkedDrawOptions {
  /**
   * How old the process's copy of the ledger may get before an allocation refreshes it (ms);
   * 0 reads it on every class allocation (tests). Default 5000.
   */
  readonly refreshMs?: number;
}

/**
 * The allocation path's hook into reservations: for a request whose track holds a reservation in
 * its window, a candidate from that reservation's earmarked set (its TypeIndex partition, through
 * an in-process CandidatePool keyed by reservation id). Which reservations are open comes from a
 * per-process copy of the ledger refreshed every `refreshMs`: a stale copy only changes which
 * set is tried first (a class member may get a general sandbox for a few seconds after a booking
 * opens, or try an emptied set after it closes and fall back to the pool) — never who may take
 * an earmarked sandbox, which the conditional write decides (status `reserved` and this
 * reservation id).
 */
export class EarmarkedDraw {
  private readonly ledger: ReservationLedger;
  private readonly pool: CandidatePool;
  private readonly refreshMs: number;
  private cached: { atMs: number; holds: readonly ReservationHold[] } | null = null;
  private refreshing: Promise<readonly ReservationHold[]> | null = null;

  constructor(
    private readonly table: SandboxTable,
    private readonly clock: Clock,
    options: EarmarkedDrawOptions = {},
  ) {
    this.ledger = new ReservationLedger(table);
    this.refreshMs = options.refreshMs ?? 5_000;
    this.pool = new CandidatePool((reservationId, exclude, want) =>
      this.fetchEarmarked(reservationId, exclude, want),
    );
  }

  /**
   * An earmarked candidate for the request, or null (no open reservation, or its set is empty).
   * `fresh`: re-read the ledger unless the copy is under a second old (the pool ran dry).
   */
  async take(
    request: AllocationRequest,
    options: { readonly fresh?: boolean } = {},
  ): Promise<Candidate | null> {
    if (!request.trackName) return null;
    const holds = options.fresh ? await this.freshHolds() : await this.holds();
    const nowS = Math.floor(this.clock.nowMs() / 1000);
    const prefix = request.namePrefix ?? '';
    for (const hold of holds) {
      if (!holdServes(hold, request.trackName, prefix, nowS)) continue;
      const candidate = await this.pool.take(hold.reservationId);
      if (candidate && candidate.name.startsWith(prefix)) {
        return { ...candidate, reservationId: hold.reservationId };
      }
      if (candidate) this.pool.giveBack(candidate);
    }
    return null;
  }

  giveBack(candidate: Candidate): void {
    this.pool.giveBack(candidate);
  }

  markTaken(candidate: Candidate): void {
    this.pool.markTaken(candidate);
  }

  /**
   * Count the allocation on the reservation (`allocated`, for `remaining` and the capacity
   * check). A separate write after the sandbox's: if the process dies in between the counter is
   * one short, which only makes the capacity check more conservative.
   */
  async recordAllocated(reservationId: string): Promise<void> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: { PK: reservationPk(reservationId), SK: RESERVATION_SK },
          UpdateExpression: 'ADD allocated :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch {
      // The sandbox is the student's either way; see above.
    }
  }

  private async holds(): Promise<readonly ReservationHold[]> {
    const nowMs = this.clock.nowMs();
    if (this.cached && nowMs - this.cached.atMs < this.refreshMs) return this.cached.holds;
    const refresh = this.refresh();
    // A stale copy is served while the next one loads (refreshMs > 0).
    if (this.cached && this.refreshMs > 0) return this.cached.holds;
    return refresh;
  }

  /** A copy at most FRESH_MS old; concurrent callers share one read. */
  private freshHolds(): Promise<readonly ReservationHold[]> {
    if (this.cached && this.clock.nowMs() - this.cached.atMs < FRESH_MS) {
      return Promise.resolve(this.cached.holds);
    }
    return this.refresh();
  }

  private refresh(): Promise<readonly ReservationHold[]> {
    if (this.refreshing) return this.refreshing;
    const started = this.clock.nowMs();
    this.refreshing = this.ledger
      .read(false)
      .then((snapshot) => {
        const holds = liveHolds(snapshot).filter((hold) => hold.status === 'confirmed');
        this.cached = { atMs: started, holds };
        return holds;
      })
      .catch(() => this.cached?.holds ?? [])
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async fetchEarmarked(
    reservationId: string,
    exclude: (id: string) => boolean,
    want: number,
  ): Promise<Candidate[]> {
    const found: Candidate[] = [];
    let lastKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.table.fast.send(
        new QueryCommand({
          TableName: this.table.tableName,
          IndexName: INDEXES.type.name,
          KeyConditionExpression: 'type_pk = :pk',
          ProjectionExpression: 'PK, type_sk',
          ExpressionAttributeValues: toAttributeMap({ ':pk': earmarkTypePk(reservationId) }),
          Limit: 100,
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        }),
      );
      for (const raw of page.Items ?? []) {
        const id = sandboxIdOfPk(raw[KEY_ATTRIBUTES.partition]?.S ?? '');
        const name = nameOfSortKey(raw[INDEXES.type.sortKey]?.S ?? '');
        if (id && !exclude(id)) found.push({ id, name });
      }
      lastKey = page.LastEvaluatedKey;
    } while (lastKey && found.length < want);
    return found;
  }
}
