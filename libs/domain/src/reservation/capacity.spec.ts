import { checkCapacity, forecastWindows, outstandingSeats } from './capacity';
import { holdPhase, holdServes, prefixesOverlap, type ReservationHold } from './reservation';

const hold = (overrides: Partial<ReservationHold> = {}): ReservationHold => ({
  reservationId: 'r1',
  track: 'net-101',
  namePrefix: 'lab-',
  count: 10,
  startsAt: 10_000,
  endsAt: 20_000,
  earmarkAt: 6_400,
  releaseAt: 11_800,
  status: 'confirmed',
  ...overrides,
});

describe('reservation capacity rules', () => {
  it('phases: booked, earmarking, released, over (and cancelled is over)', () => {
    expect(holdPhase(hold(), 6_399)).toBe('booked');
    expect(holdPhase(hold(), 6_400)).toBe('earmarking');
    expect(holdPhase(hold(), 11_800)).toBe('released');
    expect(holdPhase(hold(), 20_000)).toBe('over');
    expect(holdPhase(hold({ status: 'cancelled' }), 7_000)).toBe('over');
  });

  it('serves only its track, in its window, with a compatible prefix', () => {
    expect(holdServes(hold(), 'net-101', 'lab-', 7_000)).toBe(true);
    expect(holdServes(hold(), 'net-101', '', 7_000)).toBe(true);
    expect(holdServes(hold(), 'other', 'lab-', 7_000)).toBe(false);
    expect(holdServes(hold(), 'net-101', 'lab-', 6_000)).toBe(false);
    expect(holdServes(hold(), 'net-101', 'lab-', 12_000)).toBe(false);
    expect(holdServes(hold(), 'net-101', 'dev-', 7_000)).toBe(false);
    expect(prefixesOverlap('lab-', 'lab-a-')).toBe(true);
    expect(prefixesOverlap('lab-a-', 'lab-b-')).toBe(false);
  });

  it('counts the seats still owed until release time', () => {
    expect(outstandingSeats(hold(), 4, 7_000)).toBe(6);
    expect(outstandingSeats(hold(), 12, 7_000)).toBe(0);
    expect(outstandingSeats(hold(), 0, 11_800)).toBe(0);
  });

  it('confirms within the stock less what overlapping holds owe; reports the shortfall', () => {
    const holds = [
      { hold: hold(), allocated: 0 },
      { hold: hold({ reservationId: 'r2', namePrefix: 'dev-' }), allocated: 0 },
      { hold: hold({ reservationId: 'r3', namePrefix: '' }), allocated: 8 },
    ];
    const check = checkCapacity({ stock: 20, namePrefix: 'lab-', requested: 9, holds, now: 7_000 });
    expect(check).toEqual({ stock: 20, committed: 12, requested: 9, shortfall: 1 });
    const resize = checkCapacity({
      stock: 20,
      namePrefix: 'lab-',
      requested: 18,
      holds,
      now: 7_000,
      excluding: 'r1',
    });
    expect(resize.shortfall).toBe(0);
  });

  it('forecasts cumulative need in start order', () => {
    const windows = forecastWindows({
      stock: 15,
      namePrefix: 'lab-',
      holds: [
        {
          hold: hold({ reservationId: 'pm', startsAt: 30_000, endsAt: 40_000, releaseAt: 31_800 }),
          allocated: 0,
        },
        { hold: hold(), allocated: 0 },
        { hold: hold({ reservationId: 'later', startsAt: 90_000, endsAt: 99_000 }), allocated: 0 },
      ],
      now: 1_000,
      until: 50_000,
    });
    expect(windows.map((w) => [w.reservationId, w.cumulative, w.shortfall])).toEqual([
      ['r1', 10, 0],
      ['pm', 20, 5],
    ]);
  });
});
