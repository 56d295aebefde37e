import {
  type Clock,
  type DomainError,
  InsufficientCapacityError,
  type LeasePolicy,
  type NewReservation,
  type ReservationHold,
  type SandboxStore,
  SandboxStatus,
} from '@broker/domain';
import { aProviderPool, FixedClock } from '@broker/domain/testing';

/** Two stores on one table (two API processes), and a way to close them. */
export interface ReservationHarness {
  readonly store: SandboxStore;
  readonly other: SandboxStore;
  /** The DynamoDB table (absent in memory). */
  readonly tableName?: string;
  close(): Promise<void>;
}

export type ReservationHarnessFactory = (options: {
  clock: Clock;
  lease: LeasePolicy;
}) => Promise<ReservationHarness>;

const LEASE: LeasePolicy = { leaseSeconds: 3600, graceSeconds: 600 };
const HOUR = 3600;

/**
 * Reservations on a real store: the capacity check under concurrent bookings, earmarking, the
 * class drawing earmarked sandboxes first while others use the pool, the window, and giving back
 * exactly the unclaimed ones.
 */
export function describeReservationContract(engine: string, factory: ReservationHarnessFactory) {
  describe(`reservations: ${engine}`, () => {
    let h: ReservationHarness;
    let clock: FixedClock;
    let now: number;

    beforeEach(async () => {
      clock = new FixedClock();
      now = Math.floor(clock.nowMs() / 1000);
      h = await factory({ clock, lease: LEASE });
    });
    afterEach(() => h.close());

    async function seed(count: number, prefix = 'lab-'): Promise<void> {
      const pool = aProviderPool(count, prefix);
      for (let i = 0; i < pool.length; i += 25) {
        await Promise.all(
          pool.slice(i, i + 25).map((s) => h.store.sandboxes.upsertFromProvider(s)),
        );
      }
    }

    function booking(overrides: Partial<NewReservation> = {}): NewReservation {
      return {
        track: 'class-track',
        count: 5,
        startsAt: now + 2 * HOUR,
        endsAt: now + 5 * HOUR,
        namePrefix: 'lab-',
        leadSeconds: HOUR,
        releaseUnclaimedAfterSeconds: 1800,
        createdBy: 'ops',
        ...overrides,
      };
    }

    async function holdOf(id: string): Promise<ReservationHold> {
      const hold = (await h.store.reservationLifecycle.holds()).find((x) => x.reservationId === id);
      if (!hold) throw new Error(`no hold ${id}`);
      return hold;
    }

    it('confirms within stock, refuses past it with the shortfall, nothing booked then', async () => {
      await seed(10);
      const first = await h.store.reservations.create(booking({ count: 6 }));
      expect(first).toMatchObject({
        status: 'confirmed',
        count: 6,
        held: 0,
        allocated: 0,
        remaining: 6,
        earmarkAt: now + HOUR,
        releaseAt: now + 2 * HOUR + 1800,
      });
      const refused = await h.store.reservations.create(booking({ count: 5 })).catch((e) => e);
      expect(refused).toBeInstanceOf(InsufficientCapacityError);
      expect((refused as DomainError).problemFields).toEqual({
        shortfall: 1,
        available: 10,
        committed: 6,
        requested: 5,
      });
      expect(await h.store.reservationLifecycle.holds()).toHaveLength(1);
      // Another prefix draws on other sandboxes: not counted against this one.
      await seed(3, 'other-');
      await expect(
        h.store.reservations.create(booking({ count: 3, namePrefix: 'other-' })),
      ).resolves.toMatchObject({ status: 'confirmed' });
    });

    it('never confirms concurrent bookings past the stock (two processes)', async () => {
      await seed(20);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? h.other : h.store).reservations.create(booking({ count: 5 })),
        ),
      );
      const confirmed = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(confirmed).toHaveLength(4);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(InsufficientCapacityError);
      }
      const holds = await h.store.reservationLifecycle.holds();
      expect(holds.reduce((sum, x) => sum + x.count, 0)).toBe(20);
    });

    it('earmarks at lead time; the class draws earmarked first, others never get one', async () => {
      await seed(300);
      const r = await h.store.reservations.create(booking({ count: 150 }));
      clock.advanceSeconds(HOUR); // earmarkAt
      const earmarked = await h.store.reservationLifecycle.earmark(
        await holdOf(r.reservationId),
        150,
      );
      expect(earmarked).toHaveLength(150);
      expect(await h.store.reservations.get(r.reservationId)).toMatchObject({ held: 150 });
      const class150 = Array.from({ length: 150 }, (_, i) =>
        (i % 2 ? h.other : h.store).sandboxes.allocate({
          studentId: `class-${i}`,
          idempotencyKey: `class-${i}`,
          trackName: 'class-track',
          namePrefix: 'lab-',
        }),
      );
      const others150 = Array.from({ length: 150 }, (_, i) =>
        (i % 2 ? h.store : h.other).sandboxes.allocate({
          studentId: `other-${i}`,
          idempotencyKey: `other-${i}`,
          trackName: 'self-paced',
          namePrefix: 'lab-',
        }),
      );
      const [classResults, otherResults] = await Promise.all([
        Promise.all(class150),
        Promise.all(others150),
      ]);
      const earmarkedSet = new Set(earmarked);
      expect(classResults.filter((x) => earmarkedSet.has(x.sandbox.sandboxId))).toHaveLength(150);
      expect(classResults.every((x) => x.sandbox.reservationId === r.reservationId)).toBe(true);
      expect(otherResults.some((x) => earmarkedSet.has(x.sandbox.sandboxId))).toBe(false);
      const ids = [...classResults, ...otherResults].map((x) => x.sandbox.sandboxId);
      expect(new Set(ids).size).toBe(300);
      expect(await h.store.reservations.get(r.reservationId)).toMatchObject({
        held: 0,
        allocated: 150,
        remaining: 0,
      });
    });

    it('outside students and the pool never take an earmarked sandbox', async () => {
      await seed(4);
      const r = await h.store.reservations.create(booking({ count: 2 }));
      clock.advanceSeconds(HOUR);
      await h.store.reservationLifecycle.earmark(await holdOf(r.reservationId), 2);
      for (let i = 0; i < 2; i += 1) {
        const got = await h.store.sandboxes.allocate({
          studentId: `o-${i}`,
          idempotencyKey: `o-${i}`,
          trackName: 'someone-else',
        });
        expect(got.sandbox.reservationId).toBeUndefined();
      }
      const dry = await h.other.sandboxes
        .allocate({ studentId: 'o-3', idempotencyKey: 'o-3', trackName: 'someone-else' })
        .catch((e: DomainError) => e.code);
      expect(dry).toBe('NO_SANDBOXES_AVAILABLE');
      expect(await h.store.sandboxes.countByStatus()).toMatchObject({
        [SandboxStatus.Reserved]: 2,
        [SandboxStatus.Allocated]: 2,
      });
    });

    it('after the window the class uses the general pool only', async () => {
      await seed(6);
      const r = await h.store.reservations.create(booking({ count: 3 }));
      clock.advanceSeconds(HOUR);
      const earmarked = new Set(
        await h.store.reservationLifecycle.earmark(await holdOf(r.reservationId), 3),
      );
      clock.advanceSeconds(HOUR + 1800); // releaseAt: the set is closed, not yet given back
      const got = await h.store.sandboxes.allocate({
        studentId: 'late',
        idempotencyKey: 'late',
        trackName: 'class-track',
      });
      expect(earmarked.has(got.sandbox.sandboxId)).toBe(false);
      expect(got.sandbox.reservationId).toBeUndefined();
    });

    it('gives back exactly the unclaimed earmarked sandboxes', async () => {
      await seed(12);
      const r = await h.store.reservations.create(booking({ count: 10 }));
      clock.advanceSeconds(HOUR);
      const hold = await holdOf(r.reservationId);
      const earmarked = await h.store.reservationLifecycle.earmark(hold, 10);
      const taken = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          h.store.sandboxes.allocate({
            studentId: `c-${i}`,
            idempotencyKey: `c-${i}`,
            trackName: 'class-track',
          }),
        ),
      );
      const takenIds = new Set(taken.map((x) => x.sandbox.sandboxId));
      const unclaimed = earmarked.filter((id) => !takenIds.has(id)).sort();
      const listed = (await h.store.reservationLifecycle.earmarked(r.reservationId, 100)).sort();
      expect(listed).toEqual(unclaimed);
      for (const id of listed) {
        expect(await h.store.reservationLifecycle.releaseSandbox(r.reservationId, id)).toBe(true);
        // A repeat, or another reservation, changes nothing.
        expect(await h.store.reservationLifecycle.releaseSandbox(r.reservationId, id)).toBe(false);
      }
      for (const id of takenIds) {
        expect(await h.store.reservationLifecycle.releaseSandbox(r.reservationId, id)).toBe(false);
        expect((await h.store.sandboxes.get(id))?.status).toBe(SandboxStatus.Allocated);
      }
      expect(await h.store.sandboxes.countByStatus()).toMatchObject({
        [SandboxStatus.Available]: 8,
        [SandboxStatus.Reserved]: 0,
        [SandboxStatus.Allocated]: 4,
      });
      expect(await h.store.reservations.get(r.reservationId)).toMatchObject({
        held: 0,
        allocated: 4,
        remaining: 6,
      });
    });

    it('cancels, resizes with a capacity re-check, and refuses what is not there', async () => {
      await seed(10);
      const r = await h.store.reservations.create(booking({ count: 4 }));
      await expect(h.store.reservations.resize(r.reservationId, 10)).resolves.toMatchObject({
        count: 10,
      });
      await expect(h.store.reservations.resize(r.reservationId, 11)).rejects.toMatchObject({
        code: 'INSUFFICIENT_CAPACITY',
        problemFields: { shortfall: 1 },
      });
      await expect(h.store.reservations.resize(r.reservationId, 2)).resolves.toMatchObject({
        count: 2,
        remaining: 2,
      });
      const cancelled = await h.store.reservations.cancel(r.reservationId, 'ops');
      expect(cancelled).toMatchObject({ status: 'cancelled', remaining: 0 });
      await expect(h.store.reservations.cancel(r.reservationId, 'ops')).resolves.toMatchObject({
        status: 'cancelled',
      });
      await expect(h.store.reservations.resize(r.reservationId, 3)).rejects.toMatchObject({
        code: 'RESERVATION_NOT_ACTIVE',
      });
      await expect(h.store.reservations.cancel('nope', 'ops')).rejects.toMatchObject({
        code: 'RESERVATION_NOT_FOUND',
      });
      await expect(h.store.reservations.resize('nope', 1)).rejects.toMatchObject({
        code: 'RESERVATION_NOT_FOUND',
      });
      expect(await h.store.reservations.get('nope')).toBeNull();
      // A cancelled hold no longer counts: the whole stock can be booked again.
      await expect(h.store.reservations.create(booking({ count: 10 }))).resolves.toBeDefined();
      const page = await h.store.reservations.list({ limit: 10, status: 'cancelled' });
      expect(page.items.map((x) => x.reservationId)).toEqual([r.reservationId]);
    });

    it('forecasts the shortfall per window in start order', async () => {
      await seed(10);
      const morning = await h.store.reservations.create(booking({ count: 6, track: 'am' }));
      const afternoon = await h.store.reservations.create(
        booking({ count: 4, track: 'pm', startsAt: now + 6 * HOUR, endsAt: now + 8 * HOUR }),
      );
      // Stock drops (self-paced labs take 3) after both were booked.
      for (let i = 0; i < 3; i += 1) {
        await h.store.sandboxes.allocate({ studentId: `s-${i}`, idempotencyKey: `s-${i}` });
      }
      const forecast = await h.store.reservations.forecast('lab-', now + 24 * HOUR);
      expect(forecast).toMatchObject({ namePrefix: 'lab-', available: 7, reserved: 0, held: 10 });
      expect(forecast.windows).toEqual([
        expect.objectContaining({
          reservationId: morning.reservationId,
          track: 'am',
          shortfall: 0,
        }),
        expect.objectContaining({
          reservationId: afternoon.reservationId,
          track: 'pm',
          cumulative: 10,
          shortfall: 3,
        }),
      ]);
    });
  });
}
