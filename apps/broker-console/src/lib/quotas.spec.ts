import type { TrackQuota } from '../api/types';
import {
  quotaListPath,
  quotaPath,
  quotaRequest,
  quotaUsage,
  removeQuotaConfirmText,
  setQuotaConfirmText,
} from './quotas';

const quota = (over: Partial<TrackQuota> = {}): TrackQuota => ({
  track: 'dns-basics',
  max_allocated: 150,
  held: 42,
  updated_at: '2026-11-30T08:00:00.000Z',
  ...over,
});

describe('quota form and texts', () => {
  it('gives the track and the limit, 0 included', () => {
    expect(quotaRequest(' dns-basics ', '150')).toEqual({
      ok: true,
      track: 'dns-basics',
      max_allocated: 150,
    });
    expect(quotaRequest('dns-basics', '0')).toMatchObject({ ok: true, max_allocated: 0 });
  });

  it('refuses what the API refuses, with a message per field', () => {
    expect(quotaRequest('', '')).toEqual({
      ok: false,
      errors: {
        track: 'Enter the track slug',
        max: 'A whole number from 0 (closed) to 100000',
      },
    });
    for (const track of ['a:b', 'a,b', 'a b']) {
      expect(quotaRequest(track, '1')).toMatchObject({
        ok: false,
        errors: { track: expect.any(String) },
      });
    }
    for (const max of ['-1', '100001', '1.5']) {
      expect(quotaRequest('t', max)).toMatchObject({
        ok: false,
        errors: { max: expect.any(String) },
      });
    }
  });

  it('says what a change does in the confirmation', () => {
    expect(setQuotaConfirmText('new-track', 10, undefined)).toBe(
      'Set the quota of track new-track to 10? Allocations beyond it are refused with 409 TRACK_QUOTA_EXCEEDED.',
    );
    expect(setQuotaConfirmText('dns-basics', 20, quota())).toBe(
      'Set the quota of track dns-basics to 20 (now 150, 42 held)? It holds 42: new allocations are refused until enough are released; none is revoked.',
    );
    expect(setQuotaConfirmText('dns-basics', 0, quota())).toContain(
      'No new sandbox for this track',
    );
    expect(removeQuotaConfirmText(quota())).toBe(
      'Remove the quota of track dns-basics (150, 42 held)? The track is unlimited again.',
    );
  });

  it('shows held / max and flags a full track', () => {
    expect(quotaUsage(quota())).toEqual({ text: '42 / 150', full: false });
    expect(quotaUsage(quota({ held: 150 })).full).toBe(true);
  });

  it('builds the paths', () => {
    expect(quotaListPath(50, null)).toBe('/v1/admin/tracks/quotas?limit=50');
    expect(quotaListPath(50, 'a=b')).toBe('/v1/admin/tracks/quotas?limit=50&cursor=a%3Db');
    expect(quotaPath('a/b')).toBe('/v1/admin/tracks/a%2Fb/quota');
  });
});
