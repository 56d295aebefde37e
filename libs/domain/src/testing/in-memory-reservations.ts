import {
  InsufficientCapacityError,
  InvalidCursorError,
  ReservationNotActiveError,
  ReservationNotFoundError,
} from '../errors/domain-errors';
import { decodeCursor, encodeCursor } from '../paging/opaque-cursor';
import { nowSeconds, type Clock } from '../ports/clock';
import type { Page } from '../ports/page';
import type {
  CapacityForecast,
  ListReservationsQuery,
  ReservationLifecycleRepository,
  ReservationRepository,
} from '../ports/reservation-repository';
import { checkCapacity, forecastWindows } from '../reservation/capacity';
import {
  holdServes,
  type NewReservation,
  prefixesOverlap,
  releaseAtOf,
  type Reservation,
  type ReservationHold,
  type ReservationStatus,
} from '../reservation/reservation';
import type { EpochSeconds } from '../sandbox/sandbox';
import { SandboxStatus } from '../sandbox/sandbox-status';
import type { InMemoryReservationHook, InMemoryRows } from './in-memory-rows';

interface StoredReservation {
  hold: ReservationHold;
  releaseUnclaimedAfterSeconds: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  allocated: number;
  /** Still in the ledger (cleared once everything earmarked was given back). */
  live: boolean;
}

/**
 * Both reservation ports over the in-memory rows: the twin of libs/dynamo-repo's reservations,
 * for tests without an engine. Each method runs to completion before the next (atomic, like the
 * ledger's conditional write); earmarking and giving back go through the rows' TRANSITIONS.
 */
export class InMemoryReservations
  implements ReservationRepository, ReservationLifecycleRepository, InMemoryReservationHook
{
  private readonly reservations = new Map<string, StoredReservation>();
  private sequence = 0;

  constructor(
    private readonly rows: InMemoryRows,
    private readonly clock: Clock,
  ) {
    rows.reservations = this;
  }

  create(input: NewReservation): Promise<Reservation> {
    const now = nowSeconds(this.clock);
    const check = this.check(input.namePrefix, input.count, now);
    if (check.shortfall > 0) return Promise.reject(new InsufficientCapacityError(check));
    this.sequence += 1;
    const id = `mem-rsv-${String(this.sequence).padStart(6, '0')}`;
    this.reservations.set(id, {
      hold: {
        reservationId: id,
        track: input.track,
        namePrefix: input.namePrefix,
        count: input.count,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        earmarkAt: input.startsAt - input.leadSeconds,
        releaseAt: releaseAtOf(input.startsAt, input.endsAt, input.releaseUnclaimedAfterSeconds),
        status: 'confirmed',
      },
      releaseUnclaimedAfterSeconds: input.releaseUnclaimedAfterSeconds,
      createdAt: now,
      createdBy: input.createdBy,
      updatedAt: now,
      allocated: 0,
      live: true,
    });
    return Promise.resolve(this.view(id));
  }

  get(reservationId: string): Promise<Reservation | null> {
    return Promise.resolve(this.reservations.has(reservationId) ? this.view(reservationId) : null);
  }

  list(query: ListReservationsQuery): Promise<Page<Reservation>> {
    const filter = `reservations|${query.track ?? ''}|${query.status ?? ''}`;
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, filter);
    if (after !== null && typeof after !== 'string')
      return Promise.reject(new InvalidCursorError());
    const keyOf = (r: StoredReservation) =>
      `${String(r.hold.startsAt).padStart(10, '0')}#${r.hold.reservationId}`;
    const matching = [...this.reservations.values()]
      .filter((r) => query.track === undefined || r.hold.track === query.track)
      .filter((r) => query.status === undefined || r.hold.status === query.status)
      .filter((r) => after === null || keyOf(r) < after)
      .sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : -1));
    const page = matching.slice(0, Math.max(1, query.limit));
    const last = page[page.length - 1];
    return Promise.resolve({
      items: page.map((r) => this.view(r.hold.reservationId)),
      cursor: matching.length > page.length && last ? encodeCursor(filter, keyOf(last)) : null,
    });
  }

  cancel(reservationId: string, _by: string): Promise<Reservation> {
    const stored = this.reservations.get(reservationId);
    if (!stored) return Promise.reject(new ReservationNotFoundError(reservationId));
    if (stored.hold.status === 'ended') {
      return Promise.reject(new ReservationNotActiveError(reservationId, 'ended'));
    }
    if (stored.hold.status === 'confirmed') {
      stored.hold = { ...stored.hold, status: 'cancelled' };
      stored.updatedAt = nowSeconds(this.clock);
    }
    return Promise.resolve(this.view(reservationId));
  }

  resize(reservationId: string, count: number): Promise<Reservation> {
    const stored = this.reservations.get(reservationId);
    if (!stored) return Promise.reject(new ReservationNotFoundError(reservationId));
    if (stored.hold.status !== 'confirmed' || !stored.live) {
      return Promise.reject(new ReservationNotActiveError(reservationId, stored.hold.status));
    }
    if (count > stored.hold.count) {
      const requested = Math.max(0, count - stored.allocated);
      const check = this.check(
        stored.hold.namePrefix,
        requested,
        nowSeconds(this.clock),
        reservationId,
      );
      if (check.shortfall > 0) return Promise.reject(new InsufficientCapacityError(check));
    }
    stored.hold = { ...stored.hold, count };
    stored.updatedAt = nowSeconds(this.clock);
    return Promise.resolve(this.view(reservationId));
  }

  forecast(namePrefix: string, until: EpochSeconds): Promise<CapacityForecast> {
    const stock = this.stock(namePrefix);
    const windows = forecastWindows({
      stock: stock.available + stock.reserved,
      namePrefix,
      holds: this.liveHolds(),
      now: nowSeconds(this.clock),
      until,
    });
    return Promise.resolve({
      namePrefix,
      ...stock,
      held: windows.reduce((sum, w) => sum + w.outstanding, 0),
      windows,
    });
  }

  holds(): Promise<readonly ReservationHold[]> {
    return Promise.resolve(this.liveHolds().map(({ hold }) => hold));
  }

  counts(reservationId: string): Promise<{ held: number; allocated: number }> {
    return Promise.resolve({
      held: this.earmarkedIds(reservationId).length,
      allocated: this.reservations.get(reservationId)?.allocated ?? 0,
    });
  }

  earmarked(reservationId: string, limit: number): Promise<string[]> {
    return Promise.resolve(this.earmarkedIds(reservationId).slice(0, limit));
  }

  async earmark(hold: ReservationHold, want: number): Promise<string[]> {
    const done: string[] = [];
    for (const row of [...this.rows.rows.values()]) {
      if (done.length >= want) break;
      const { sandbox } = row;
      if (sandbox.status !== SandboxStatus.Available) continue;
      if (!sandbox.name.startsWith(hold.namePrefix)) continue;
      if (await this.earmarkSandbox(hold.reservationId, sandbox.sandboxId)) {
        done.push(sandbox.sandboxId);
      }
    }
    return done;
  }

  earmarkSandbox(reservationId: string, sandboxId: string): Promise<boolean> {
    const written = this.rows.transition({
      sandboxId,
      to: SandboxStatus.Reserved,
      by: 'reservation',
      fields: () => ({ reservationId }),
    });
    return Promise.resolve(written !== null);
  }

  releaseSandbox(reservationId: string, sandboxId: string): Promise<boolean> {
    const written = this.rows.transition({
      sandboxId,
      to: SandboxStatus.Available,
      by: 'reservation',
      when: (row) => row.sandbox.reservationId === reservationId,
      fields: () => ({ reservationId: undefined }),
    });
    return Promise.resolve(written !== null);
  }

  clear(hold: ReservationHold, status: ReservationStatus): Promise<void> {
    const stored = this.reservations.get(hold.reservationId);
    if (stored) {
      stored.live = false;
      if (stored.hold.status !== 'ended') stored.hold = { ...stored.hold, status };
    }
    return Promise.resolve();
  }

  servingReservation(track: string | undefined, prefix: string): string | undefined {
    if (!track) return undefined;
    const now = nowSeconds(this.clock);
    return this.liveHolds().find(({ hold }) => holdServes(hold, track, prefix, now))?.hold
      .reservationId;
  }

  allocatedFrom(reservationId: string): void {
    const stored = this.reservations.get(reservationId);
    if (stored) stored.allocated += 1;
  }

  private check(prefix: string, requested: number, now: number, excluding?: string) {
    const stock = this.stock(prefix);
    return checkCapacity({
      stock: stock.available + stock.reserved,
      namePrefix: prefix,
      requested,
      holds: this.liveHolds().filter(({ hold }) => prefixesOverlap(hold.namePrefix, prefix)),
      now,
      ...(excluding !== undefined ? { excluding } : {}),
    });
  }

  private liveHolds(): { hold: ReservationHold; allocated: number }[] {
    return [...this.reservations.values()]
      .filter((r) => r.live)
      .map((r) => ({ hold: r.hold, allocated: r.allocated }));
  }

  private stock(prefix: string): { available: number; reserved: number } {
    let available = 0;
    let reserved = 0;
    for (const { sandbox } of this.rows.rows.values()) {
      if (!sandbox.name.startsWith(prefix)) continue;
      if (sandbox.status === SandboxStatus.Available) available += 1;
      if (sandbox.status === SandboxStatus.Reserved) reserved += 1;
    }
    return { available, reserved };
  }

  private earmarkedIds(reservationId: string): string[] {
    return [...this.rows.rows.values()]
      .filter(
        ({ sandbox }) =>
          sandbox.status === SandboxStatus.Reserved && sandbox.reservationId === reservationId,
      )
      .map(({ sandbox }) => sandbox.sandboxId)
      .sort();
  }

  private view(reservationId: string): Reservation {
    const stored = this.reservations.get(reservationId);
    if (!stored) throw new ReservationNotFoundError(reservationId);
    const { hold } = stored;
    return {
      ...hold,
      releaseUnclaimedAfterSeconds: stored.releaseUnclaimedAfterSeconds,
      createdAt: stored.createdAt,
      createdBy: stored.createdBy,
      updatedAt: stored.updatedAt,
      held: this.earmarkedIds(reservationId).length,
      allocated: stored.allocated,
      remaining: hold.status === 'confirmed' ? Math.max(0, hold.count - stored.allocated) : 0,
    };
  }
}
