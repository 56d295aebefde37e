import type { Reservation } from '../api/types';
import {
  bookingRequest,
  type BookingDraft,
  cancelConfirmText,
  capacityRefusal,
  EMPTY_BOOKING,
  epochToLocalInput,
  localInputToEpoch,
  reservationListPath,
  resizeRequest,
  windowText,
} from './reservations';

const local = (y: number, mo: number, d: number, h: number, mi = 0) =>
  new Date(y, mo - 1, d, h, mi).getTime() / 1000;
const NOW = local(2026, 11, 30, 8, 0);
const draft = (over: Partial<BookingDraft> = {}): BookingDraft => ({
  ...EMPTY_BOOKING,
  track: 'dns-basics',
  count: '30',
  starts_at: '2026-11-30T09:00',
  ends_at: '2026-11-30T11:00',
  ...over,
});

describe('local datetime inputs', () => {
  it('reads a datetime-local value as local time, and writes one back', () => {
    expect(localInputToEpoch('2026-11-30T09:00')).toBe(local(2026, 11, 30, 9));
    expect(localInputToEpoch('2026-11-30T09:00:30')).toBe(local(2026, 11, 30, 9) + 30);
    expect(epochToLocalInput(local(2026, 1, 5, 7, 5))).toBe('2026-01-05T07:05');
    expect(localInputToEpoch(epochToLocalInput(NOW))).toBe(NOW);
  });

  it('refuses what is not a date and time', () => {
    for (const bad of [
      '',
      '2026-11-30',
      '09:00',
      '2026-02-31T09:00',
      '2026-11-30T25:00',
      '2026-11-30T09:60',
      'x',
    ]) {
      expect([bad, localInputToEpoch(bad)]).toEqual([bad, null]);
    }
  });
});

describe('book-a-class form → request body', () => {
  it('gives the API body with epoch seconds, leaving out the empty optional fields', () => {
    expect(bookingRequest(draft({ track: ' dns-basics ' }), NOW)).toEqual({
      ok: true,
      body: {
        track: 'dns-basics',
        count: 30,
        starts_at: local(2026, 11, 30, 9),
        ends_at: local(2026, 11, 30, 11),
      },
    });
  });

  it('passes the name prefix and the release minutes when given (0 included)', () => {
    const result = bookingRequest(
      draft({ name_prefix: 'lab-demo-', release_unclaimed_after_minutes: '0' }),
      NOW,
    );
    expect(result).toMatchObject({
      ok: true,
      body: { name_prefix: 'lab-demo-', release_unclaimed_after_minutes: 0 },
    });
  });

  it('names every wrong field with a message', () => {
    const result = bookingRequest(
      {
        track: 'dns basics',
        count: '0',
        starts_at: '',
        ends_at: 'soon',
        name_prefix: 'lab demo',
        release_unclaimed_after_minutes: '20000',
      },
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        track: 'Printable ASCII without spaces, at most 256 characters',
        count: 'A whole number from 1 to 10000',
        starts_at: 'Enter the start date and time',
        ends_at: 'Enter the end date and time',
        name_prefix: 'Printable ASCII without spaces, at most 128 characters',
        release_unclaimed_after_minutes: 'A whole number of minutes from 0 to 10080',
      },
    });
    expect(bookingRequest(draft({ track: '' }), NOW)).toMatchObject({
      errors: { track: 'Enter the track slug' },
    });
  });

  it('refuses counts that are not whole numbers in range', () => {
    for (const count of ['', '1.5', '-3', '10001', '3e2', 'ten']) {
      expect(bookingRequest(draft({ count }), NOW)).toMatchObject({ ok: false });
    }
    expect(bookingRequest(draft({ count: '10000' }), NOW)).toMatchObject({ ok: true });
  });

  it('wants the end after the start and in the future', () => {
    expect(bookingRequest(draft({ ends_at: '2026-11-30T09:00' }), NOW)).toEqual({
      ok: false,
      errors: { ends_at: 'The end must be after the start' },
    });
    expect(
      bookingRequest(draft({ starts_at: '2026-11-30T06:00', ends_at: '2026-11-30T07:00' }), NOW),
    ).toEqual({ ok: false, errors: { ends_at: 'The end must be in the future' } });
    // A class already running is fine: only its end must be ahead.
    expect(bookingRequest(draft({ starts_at: '2026-11-30T07:00' }), NOW)).toMatchObject({
      ok: true,
    });
  });

  it('checks the resize count', () => {
    expect(resizeRequest(' 40 ')).toEqual({ ok: true, count: 40 });
    expect(resizeRequest('0')).toEqual({ ok: false, error: 'A whole number from 1 to 10000' });
  });
});

const reservation = (over: Partial<Reservation> = {}): Reservation => ({
  reservation_id: 'r-1',
  track: 'dns-basics',
  count: 30,
  starts_at: Date.UTC(2026, 10, 30, 9) / 1000,
  ends_at: Date.UTC(2026, 10, 30, 11) / 1000,
  name_prefix: '',
  status: 'confirmed',
  earmark_at: Date.UTC(2026, 10, 30, 8) / 1000,
  release_at: Date.UTC(2026, 10, 30, 9, 30) / 1000,
  release_unclaimed_after_minutes: 30,
  held: 12,
  allocated: 3,
  remaining: 27,
  created_at: 0,
  created_by: 'ops',
  updated_at: 0,
  ...over,
});

describe('reservation texts', () => {
  it('writes the window in UTC, with both dates when it spans days', () => {
    const r = reservation();
    expect(windowText(r.starts_at, r.ends_at)).toBe('2026-11-30 09:00 – 11:00 UTC');
    expect(windowText(r.starts_at, Date.UTC(2026, 11, 1, 1) / 1000)).toBe(
      '2026-11-30 09:00 – 2026-12-01 01:00 UTC',
    );
  });

  it('names the track and the window in the cancel confirmation', () => {
    expect(cancelConfirmText(reservation())).toBe(
      'Cancel the class booking of 30 sandboxes for track dns-basics, 2026-11-30 09:00 – 11:00 UTC? ' +
        'Its 12 earmarked sandboxes go back to the pool. Students who already have one keep it.',
    );
    expect(cancelConfirmText(reservation({ held: 0 }))).not.toContain('earmarked');
  });

  it('spells the figures of INSUFFICIENT_CAPACITY, and nothing for other problems', () => {
    expect(
      capacityRefusal({
        code: 'INSUFFICIENT_CAPACITY',
        shortfall: 350,
        available: 150,
        committed: 0,
        requested: 500,
      }),
    ).toBe(
      'Not enough sandboxes: short by 350 (150 in stock, 0 held by other bookings, 500 requested).',
    );
    expect(capacityRefusal({ code: 'INSUFFICIENT_CAPACITY', shortfall: 2 })).toBe(
      'Not enough sandboxes: short by 2.',
    );
    expect(capacityRefusal({ code: 'VALIDATION_ERROR' })).toBeNull();
    expect(capacityRefusal(null)).toBeNull();
  });

  it('builds the list path with the filters and the cursor', () => {
    expect(reservationListPath({ track: '', status: '' }, 25, null)).toBe(
      '/v1/admin/reservations?limit=25',
    );
    expect(reservationListPath({ track: ' a b ', status: 'confirmed' }, 25, 'x/y=')).toBe(
      '/v1/admin/reservations?track=a+b&status=confirmed&limit=25&cursor=x%2Fy%3D',
    );
  });
});
