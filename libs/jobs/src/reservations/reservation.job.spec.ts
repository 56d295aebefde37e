import { type NewReservation, SandboxStatus } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { jobContext, jobHarness } from '../testing/harness';
import { ReservationJob } from './reservation.job';

const HOUR = 3600;

describe('ReservationJob', () => {
  async function setup(poolSize: number) {
    const h = jobHarness();
    for (const s of aProviderPool(poolSize, 'lab-')) await h.pool.upsertFromProvider(s);
    const now = Math.floor(h.clock.nowMs() / 1000);
    const job = new ReservationJob({
      reservations: h.store.reservationLifecycle,
      clock: h.clock,
      events: h.store.events,
    });
    const book = (overrides: Partial<NewReservation> = {}) =>
      h.store.reservations.create({
        track: 'class',
        count: 4,
        startsAt: now + 2 * HOUR,
        endsAt: now + 4 * HOUR,
        namePrefix: 'lab-',
        leadSeconds: HOUR,
        releaseUnclaimedAfterSeconds: 1800,
        createdBy: 'ops',
        ...overrides,
      });
    const count = async (status: SandboxStatus) => (await h.pool.countByStatus())[status];
    const allocate = (student: string, track = 'class') =>
      h.pool.allocate({ studentId: student, idempotencyKey: student, trackName: track });
    return { ...h, job, book, count, allocate, run: () => job.run(jobContext()) };
  }

  it('earmarks nothing before the lead time, then the full count', async () => {
    const h = await setup(10);
    const r = await h.book();
    expect(await h.run()).toMatchObject({ holds: 1, earmarked: 0 });
    expect(await h.count(SandboxStatus.Reserved)).toBe(0);
    h.clock.advanceSeconds(HOUR);
    expect(await h.run()).toMatchObject({ earmarked: 4, short: 0 });
    expect(await h.store.reservations.get(r.reservationId)).toMatchObject({ held: 4 });
    // A second run (or a second worker) changes nothing.
    expect(await h.run()).toMatchObject({ earmarked: 0, released: 0 });
    expect(await h.count(SandboxStatus.Reserved)).toBe(4);
  });

  it('replaces an earmarked sandbox sync found vanished, and reports a shortage once', async () => {
    const h = await setup(5);
    const r = await h.book();
    h.clock.advanceSeconds(HOUR);
    await h.run();
    const [gone] = await h.store.reservationLifecycle.earmarked(r.reservationId, 1);
    expect(await h.lifecycle.markStale(gone!, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(await h.run()).toMatchObject({ earmarked: 1, short: 0 });
    const [again] = await h.store.reservationLifecycle.earmarked(r.reservationId, 4);
    expect(await h.lifecycle.markStale(again!, Number.MAX_SAFE_INTEGER)).toBe(true);
    // No stock left for a replacement: short by 1, recorded once.
    expect(await h.run()).toMatchObject({ earmarked: 0, short: 1 });
    expect(await h.run()).toMatchObject({ short: 1 });
    const events = await h.store.events.list({ type: 'admin_action', limit: 50 });
    expect(events.items.filter((e) => e.action === 'reservation_short')).toHaveLength(1);
  });

  it('gives back exactly the unclaimed ones at release time, and clears the hold at the end', async () => {
    const h = await setup(10);
    const r = await h.book();
    h.clock.advanceSeconds(HOUR);
    await h.run();
    const members = await Promise.all(['m1', 'm2', 'm3'].map((m) => h.allocate(m)));
    expect(members.every((m) => m.sandbox.reservationId === r.reservationId)).toBe(true);
    h.clock.advanceSeconds(HOUR + 1800 - 1);
    expect(await h.run()).toMatchObject({ released: 0 });
    h.clock.advanceSeconds(1); // starts_at + release_unclaimed_after
    expect(await h.run()).toMatchObject({ released: 1 });
    expect(await h.count(SandboxStatus.Reserved)).toBe(0);
    expect(await h.count(SandboxStatus.Allocated)).toBe(3);
    expect(await h.count(SandboxStatus.Available)).toBe(7);
    expect(await h.store.reservations.get(r.reservationId)).toMatchObject({
      status: 'confirmed',
      allocated: 3,
      remaining: 1,
    });
    // A late member now gets a general sandbox; nothing is earmarked again.
    const late = await h.allocate('m4');
    expect(late.sandbox.reservationId).toBeUndefined();
    expect(await h.run()).toMatchObject({ earmarked: 0 });
    h.clock.advanceSeconds(1800 + HOUR); // ends_at
    expect(await h.run()).toMatchObject({ ended: 1 });
    expect(await h.store.reservations.get(r.reservationId)).toMatchObject({ status: 'ended' });
    expect(await h.store.reservationLifecycle.holds()).toEqual([]);
  });

  it('gives back the excess after a shrink and everything after a cancel', async () => {
    const h = await setup(10);
    const r = await h.book({ count: 6 });
    h.clock.advanceSeconds(HOUR);
    await h.run();
    await h.store.reservations.resize(r.reservationId, 2);
    expect(await h.run()).toMatchObject({ released: 4 });
    expect(await h.count(SandboxStatus.Reserved)).toBe(2);
    await h.store.reservations.cancel(r.reservationId, 'ops');
    expect(await h.run()).toMatchObject({ released: 2, ended: 1 });
    expect(await h.count(SandboxStatus.Available)).toBe(10);
    expect(await h.store.reservations.get(r.reservationId)).toMatchObject({ status: 'cancelled' });
  });
});
