import { TrackQuotaExceededError } from './domain-errors';

describe('TrackQuotaExceededError', () => {
  it('names the holding and the quota for a full track', () => {
    const error = new TrackQuotaExceededError({ track: 'dns-basics', max_allocated: 2, held: 2 });
    expect(error.code).toBe('TRACK_QUOTA_EXCEEDED');
    expect(error.message).toBe(
      "Track 'dns-basics' holds 2 sandboxes, its quota allows 2; retry when one is released",
    );
    expect(error.problemFields).toEqual({
      quota: { track: 'dns-basics', max_allocated: 2, held: 2 },
    });
  });

  it('says a quota of 0 closes the track instead of asking to wait for a release', () => {
    const error = new TrackQuotaExceededError({ track: 'dns-basics', max_allocated: 0, held: 0 });
    expect(error.message).toBe(
      "Track 'dns-basics' is closed (its quota is 0); an operator must raise or remove the quota",
    );
  });
});
