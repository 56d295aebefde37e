import type { CapacityView, CapacityWindow } from '../api/types';
import { capacityPath, shapeForecast, shortfallText } from './capacity';

const at9 = Date.UTC(2026, 10, 30, 9) / 1000;
const window = (over: Partial<CapacityWindow> = {}): CapacityWindow => ({
  reservation_id: 'r-1',
  track: 'dns-basics',
  name_prefix: '',
  starts_at: at9,
  ends_at: at9 + 7200,
  outstanding: 30,
  cumulative: 30,
  shortfall: 0,
  summary: '',
  ...over,
});
const view = (over: Partial<CapacityView> = {}): CapacityView => ({
  name_prefix: '',
  available: 40,
  reserved: 5,
  held: 30,
  shortfall: 0,
  until: at9 + 14 * 86_400,
  windows: [window()],
  ...over,
});

describe('capacity forecast shaping', () => {
  it('writes the shortfall sentence per window', () => {
    expect(shortfallText({ track: 'X', shortfall: 12, starts_at: at9 })).toBe(
      'short by 12 for track X at 2026-11-30 09:00 UTC',
    );
    expect(shortfallText({ track: 'X', shortfall: 0, starts_at: at9 })).toBe(
      'covered for track X at 2026-11-30 09:00 UTC',
    );
  });

  it('says the stock covers every class when nothing is short', () => {
    const shaped = shapeForecast(view());
    expect(shaped.headline).toBe('The stock covers every booked class (1) in the horizon.');
    expect(shaped.prefixLabel).toBe('any name');
    expect(shaped.rows).toEqual([
      {
        reservationId: 'r-1',
        track: 'dns-basics',
        prefix: 'any',
        window: '2026-11-30 09:00 UTC → 2026-11-30 11:00 UTC',
        outstanding: 30,
        cumulative: 30,
        shortfall: 0,
        text: 'covered for track dns-basics at 2026-11-30 09:00 UTC',
        short: false,
      },
    ]);
  });

  it('highlights the short windows and leads with what to create', () => {
    const shaped = shapeForecast(
      view({
        name_prefix: 'lab-',
        shortfall: 22,
        windows: [
          window(),
          window({
            reservation_id: 'r-2',
            track: 'k8s',
            name_prefix: 'lab-',
            starts_at: at9 + 3600,
            cumulative: 62,
            outstanding: 32,
            shortfall: 22,
          }),
        ],
      }),
    );
    expect(shaped.rows.map((r) => r.short)).toEqual([false, true]);
    expect(shaped.rows[1]?.text).toBe('short by 22 for track k8s at 2026-11-30 10:00 UTC');
    expect(shaped.headline).toBe(
      'Create 22 sandboxes at the provider: first short by 22 for track k8s at 2026-11-30 10:00 UTC.',
    );
    expect(shaped.prefixLabel).toBe('lab-');
  });

  it('says so when nothing is booked', () => {
    expect(shapeForecast(view({ windows: [], held: 0 })).headline).toBe(
      'No class booked in the horizon.',
    );
  });

  it('asks for every sandbox without a prefix, else encodes it', () => {
    expect(capacityPath('  ')).toBe('/v1/admin/capacity');
    expect(capacityPath('lab&x')).toBe('/v1/admin/capacity?prefix=lab%26x');
  });
});
