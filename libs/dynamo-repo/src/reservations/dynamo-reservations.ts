import {
  type CapacityCheck,
  type CapacityForecast,
  checkCapacity,
  type Clock,
  ConcurrentModificationError,
  decodeCursor,
  encodeCursor,
  type EpochSeconds,
  forecastWindows,
  InsufficientCapacityError,
  InvalidCursorError,
  MAX_CURSOR_KEY_VALUE_BYTES,
  asStringRecord,
  type ListReservationsQuery,
  type NewReservation,
  nowSeconds,
  type Page,
  prefixesOverlap,
  releaseAtOf,
  type Reservation,
  type ReservationHold,
  ReservationNotActiveError,
  ReservationNotFoundError,
  type ReservationRepository,
} from '@broker/domain';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { unlessConditionFails } from '../client/conditional';
import type { SandboxTable } from '../pool/dynamo-sandbox-reads';
import { INDEXES } from '../schema/table-schema';
import { newReservationItem, toReservation } from './reservation-item';
import {
  earmarkTypePk,
  RESERVATION_SK,
  RESERVATION_TYPE_PK,
  reservationPk,
} from './reservation-keys';
import {
  type LedgerSnapshot,
  MAX_LEDGER_ROUNDS,
  ReservationLedger,
  type StoredHold,
  toHold,
} from './reservation-ledger';
import { ReservationItems } from './reservation-reads';
import { countEarmarked, countStock } from './stock-count';

/**
 * Bookings on DynamoDB. Every change of what is booked is one conditional write of the capacity
 * ledger (ReservationLedger) decided on the ledger it read, followed by the reservation item's
 * write; the item is only a listing copy plus the `allocated` counter, rebuilt from the ledger if
 * its writer died in between. Reads are GetItem and index Queries only.
 */
export class DynamoReservations implements ReservationRepository {
  private readonly ledger: ReservationLedger;
  private readonly items: ReservationItems;

  constructor(
    private readonly table: SandboxTable,
    private readonly clock: Clock,
  ) {
    this.ledger = new ReservationLedger(table);
    this.items = new ReservationItems(table);
  }

  async create(input: NewReservation): Promise<Reservation> {
    const id = randomUUID();
    const now = nowSeconds(this.clock);
    const stored: StoredHold = {
      track: input.track,
      name_prefix: input.namePrefix,
      count: input.count,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      earmark_at: input.startsAt - input.leadSeconds,
      release_at: releaseAtOf(input.startsAt, input.endsAt, input.releaseUnclaimedAfterSeconds),
      status: 'confirmed',
      release_unclaimed_after: input.releaseUnclaimedAfterSeconds,
      created_at: now,
      created_by: input.createdBy,
    };
    await this.change((snapshot) => {
      // Our own earlier round applied with its answer lost: booked already.
      if (snapshot.holds.has(id)) return null;
      return async () => {
        const check = await this.check(snapshot, input.namePrefix, input.count, now);
        if (check.shortfall > 0) throw new InsufficientCapacityError(check);
        return new Map(snapshot.holds).set(id, stored);
      };
    });
    const item = newReservationItem(id, stored, now);
    await unlessConditionFails(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
      null,
    );
    return toReservation({ ...item }, 0);
  }

  async get(reservationId: string): Promise<Reservation | null> {
    const item = await this.items.getOrRepair(
      reservationId,
      await this.ledger.read(),
      nowSeconds(this.clock),
    );
    if (!item) return null;
    const held = await countEarmarked(this.table, earmarkTypePk(reservationId));
    return toReservation(item, held);
  }

  async list(query: ListReservationsQuery): Promise<Page<Reservation>> {
    const filter = `reservations|${query.track ?? ''}|${query.status ?? ''}`;
    let start: Record<string, string> | undefined;
    if (query.cursor !== undefined) {
      start = listStartOf(decodeCursor(query.cursor, filter));
    }
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':pk': RESERVATION_TYPE_PK };
    if (query.track !== undefined) {
      filters.push('track = :track');
      values[':track'] = query.track;
    }
    if (query.status !== undefined) {
      filters.push('#status = :status');
      values[':status'] = query.status;
    }
    const page = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: INDEXES.type.name,
        KeyConditionExpression: 'type_pk = :pk',
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(query.status !== undefined
          ? { ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: Math.max(1, query.limit),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = await Promise.all(
      (page.Items ?? []).map(async (item) => {
        const id = String(item['reservation_id']);
        const held =
          item['status'] === 'confirmed' ? await countEarmarked(this.table, earmarkTypePk(id)) : 0;
        return toReservation(item, held);
      }),
    );
    const last = page.LastEvaluatedKey as Record<string, string> | undefined;
    return { items, cursor: last ? encodeCursor(filter, last) : null };
  }

  async cancel(reservationId: string, by: string): Promise<Reservation> {
    const now = nowSeconds(this.clock);
    await this.change(async (snapshot) => {
      const hold = snapshot.holds.get(reservationId);
      if (!hold) {
        const item = await this.items.get(reservationId);
        if (!item) throw new ReservationNotFoundError(reservationId);
        if (item['status'] === 'ended') {
          throw new ReservationNotActiveError(reservationId, 'ended');
        }
        return null;
      }
      if (hold.status === 'ended') throw new ReservationNotActiveError(reservationId, 'ended');
      if (hold.status === 'cancelled') return null;
      return () =>
        Promise.resolve(
          new Map(snapshot.holds).set(reservationId, { ...hold, status: 'cancelled' }),
        );
    });
    await this.updateItem(reservationId, 'SET #status = :cancelled, cancelled_by = :by', {
      condition: '#status = :confirmed',
      values: { ':cancelled': 'cancelled', ':confirmed': 'confirmed', ':by': by },
      now,
    });
    const reservation = await this.get(reservationId);
    if (!reservation) throw new ReservationNotFoundError(reservationId);
    return reservation;
  }

  async resize(reservationId: string, count: number): Promise<Reservation> {
    const now = nowSeconds(this.clock);
    await this.change(async (snapshot) => {
      const hold = snapshot.holds.get(reservationId);
      if (!hold) {
        const item = await this.items.get(reservationId);
        if (!item) throw new ReservationNotFoundError(reservationId);
        throw new ReservationNotActiveError(reservationId, String(item['status']));
      }
      if (hold.status !== 'confirmed') {
        throw new ReservationNotActiveError(reservationId, hold.status);
      }
      if (hold.count === count) return null;
      return async () => {
        if (count > hold.count) {
          const own = await this.items.allocatedOf([toHold(reservationId, hold)]);
          const requested = Math.max(0, count - (own.get(reservationId) ?? 0));
          const check = await this.check(snapshot, hold.name_prefix, requested, now, reservationId);
          if (check.shortfall > 0) throw new InsufficientCapacityError(check);
        }
        return new Map(snapshot.holds).set(reservationId, { ...hold, count });
      };
    });
    await this.updateItem(reservationId, 'SET #count = :count', {
      condition: '#status = :confirmed',
      values: { ':count': count, ':confirmed': 'confirmed' },
      names: { '#count': 'count' },
      now,
    });
    const reservation = await this.get(reservationId);
    if (!reservation) throw new ReservationNotFoundError(reservationId);
    return reservation;
  }

  async forecast(namePrefix: string, until: EpochSeconds): Promise<CapacityForecast> {
    const now = nowSeconds(this.clock);
    const [stock, snapshot] = await Promise.all([
      countStock(this.table, namePrefix),
      this.ledger.read(false),
    ]);
    const holds = liveHolds(snapshot).filter((h) => prefixesOverlap(h.namePrefix, namePrefix));
    const allocated = await this.items.allocatedOf(holds);
    const windows = forecastWindows({
      stock: stock.available + stock.reserved,
      namePrefix,
      holds: holds.map((hold) => ({ hold, allocated: allocated.get(hold.reservationId) ?? 0 })),
      now,
      until,
    });
    return {
      namePrefix,
      available: stock.available,
      reserved: stock.reserved,
      held: windows.reduce((sum, w) => sum + w.outstanding, 0),
      windows,
    };
  }

  /** The capacity verdict for `requested` more seats on `prefix`, on the ledger as read. */
  private async check(
    snapshot: LedgerSnapshot,
    prefix: string,
    requested: number,
    now: EpochSeconds,
    excluding?: string,
  ): Promise<CapacityCheck> {
    const holds = liveHolds(snapshot).filter((h) => prefixesOverlap(h.namePrefix, prefix));
    const [stock, allocated] = await Promise.all([
      countStock(this.table, prefix),
      this.items.allocatedOf(holds),
    ]);
    return checkCapacity({
      stock: stock.available + stock.reserved,
      namePrefix: prefix,
      requested,
      holds: holds.map((hold) => ({ hold, allocated: allocated.get(hold.reservationId) ?? 0 })),
      now,
      ...(excluding !== undefined ? { excluding } : {}),
    });
  }

  /**
   * One serialised ledger change: `decide` sees the ledger and returns null (nothing to write),
   * or a function computing the new holds; the write is conditional on the version read, and a
   * lost race decides again on the new ledger.
   */
  private async change(
    decide: (
      snapshot: LedgerSnapshot,
    ) =>
      | null
      | (() => Promise<Map<string, StoredHold>>)
      | Promise<null | (() => Promise<Map<string, StoredHold>>)>,
  ): Promise<void> {
    for (let round = 0; round < MAX_LEDGER_ROUNDS; round += 1) {
      const snapshot = await this.ledger.read();
      const next = await decide(snapshot);
      if (next === null) return;
      if (await this.ledger.write(snapshot, await next())) return;
    }
    throw new ConcurrentModificationError('The reservation ledger');
  }

  private async updateItem(
    reservationId: string,
    update: string,
    options: {
      condition: string;
      values: Record<string, unknown>;
      names?: Record<string, string>;
      now: number;
    },
  ): Promise<void> {
    await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: { PK: reservationPk(reservationId), SK: RESERVATION_SK },
          UpdateExpression: `${update}, updated_at = :now`,
          ConditionExpression: `attribute_exists(PK) AND ${options.condition}`,
          ExpressionAttributeNames: { '#status': 'status', ...options.names },
          ExpressionAttributeValues: { ...options.values, ':now': options.now },
        }),
      ),
      null,
    );
  }
}

/** The ledger's holds as domain values. */
export function liveHolds(snapshot: LedgerSnapshot): ReservationHold[] {
  return [...snapshot.holds].map(([id, stored]) => toHold(id, stored));
}

/** A listing cursor's position: exactly a TypeIndex key of a reservation item, or a 400. */
function listStartOf(position: unknown): Record<string, string> {
  const key = asStringRecord(position);
  const names = key ? Object.keys(key).sort() : [];
  const valid =
    key !== null &&
    names.join(',') === 'PK,SK,type_pk,type_sk' &&
    key['type_pk'] === RESERVATION_TYPE_PK &&
    key['SK'] === RESERVATION_SK &&
    (key['PK'] ?? '').startsWith('RSV#') &&
    names.every((name) => {
      const value = key[name] ?? '';
      return value.length > 0 && value.length <= MAX_CURSOR_KEY_VALUE_BYTES;
    });
  if (!valid || !key) throw new InvalidCursorError();
  return key;
}
