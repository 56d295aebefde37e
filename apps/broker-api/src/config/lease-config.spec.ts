import { ConfigValidationError } from '@broker/platform';
import { loadApiConfig } from './api-config';
import { parseTrackLeases, trackLeaseSeconds } from './lease-config';

const bounds = { minMinutes: 5, maxMinutes: 7 * 24 * 60 };

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('parseTrackLeases', () => {
  it('reads slug:minutes pairs, trimmed, and resolves a track to seconds', () => {
    const { config, problems: found } = parseTrackLeases(' short-lab:30 , long.lab:2880,', bounds);
    expect(found).toEqual([]);
    expect([...config.trackMinutes]).toEqual([
      ['short-lab', 30],
      ['long.lab', 2880],
    ]);
    expect(trackLeaseSeconds(config, 'short-lab')).toBe(1800);
    expect(trackLeaseSeconds(config, 'Short-lab')).toBeUndefined();
    expect(trackLeaseSeconds(config, undefined)).toBeUndefined();
  });

  it('is empty when unset or blank', () => {
    expect(parseTrackLeases(undefined, bounds).config.trackMinutes.size).toBe(0);
    expect(parseTrackLeases('  ', bounds).problems).toEqual([]);
  });

  it('reports every malformed, duplicate and out-of-bounds entry together', () => {
    expect(
      parseTrackLeases('a:4,b:10081,c:x,:10,d,e:10,e:20,f:5,g:10080,h:-5', bounds).problems,
    ).toEqual([
      'TRACK_LEASE_MINUTES: track "a" has 4 minutes, outside LEASE_MIN_MINUTES..LEASE_MAX_MINUTES (5..10080)',
      'TRACK_LEASE_MINUTES: track "b" has 10081 minutes, outside LEASE_MIN_MINUTES..LEASE_MAX_MINUTES (5..10080)',
      'TRACK_LEASE_MINUTES: "c:x" is not slug:minutes',
      'TRACK_LEASE_MINUTES: ":10" is not slug:minutes',
      'TRACK_LEASE_MINUTES: "d" is not slug:minutes',
      'TRACK_LEASE_MINUTES: track "e" is listed twice',
      'TRACK_LEASE_MINUTES: "h:-5" is not slug:minutes',
    ]);
  });

  it('refuses inverted bounds', () => {
    expect(parseTrackLeases('', { minMinutes: 60, maxMinutes: 30 }).problems).toEqual([
      'LEASE_MIN_MINUTES must not exceed LEASE_MAX_MINUTES',
    ]);
  });
});

describe('loadApiConfig: leases and extensions', () => {
  it('defaults: no track leases, bounds 5 min..7 days, extension 60 min × 2 up to 72 h', () => {
    const config = loadApiConfig({});
    expect(config.lease).toEqual({ minMinutes: 5, maxMinutes: 10080, trackMinutes: new Map() });
    expect(config.extension).toEqual({
      stepSeconds: 3600,
      maxCount: 2,
      maxLeaseSeconds: 72 * 3600,
    });
  });

  it('applies the configured bounds and reports lease problems with the other config problems', () => {
    const config = loadApiConfig({
      TRACK_LEASE_MINUTES: 'lab-a:30',
      LEASE_MIN_MINUTES: '10',
      EXTENSION_STEP_MINUTES: '15',
      EXTENSION_MAX_COUNT: '0',
      EXTENSION_MAX_LEASE_HOURS: '4',
    });
    expect(config.lease.trackMinutes.get('lab-a')).toBe(30);
    expect(config.extension).toEqual({ stepSeconds: 900, maxCount: 0, maxLeaseSeconds: 4 * 3600 });
    const found = problems({
      TRACK_LEASE_MINUTES: 'lab-a:3,lab-b',
      EXTENSION_STEP_MINUTES: '0',
      PORT: 'x',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT'),
        expect.stringContaining('EXTENSION_STEP_MINUTES'),
      ]),
    );
    // The lease list is checked even when another variable is broken.
    expect(problems({ TRACK_LEASE_MINUTES: 'lab-a:3,lab-b', PORT: 'x' })).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT'),
        'TRACK_LEASE_MINUTES: track "lab-a" has 3 minutes, outside LEASE_MIN_MINUTES..LEASE_MAX_MINUTES (5..10080)',
        'TRACK_LEASE_MINUTES: "lab-b" is not slug:minutes',
      ]),
    );
  });
});
