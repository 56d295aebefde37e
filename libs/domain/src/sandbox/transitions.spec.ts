import { ALL_SANDBOX_STATUSES, SandboxStatus, USED_STATUSES } from './sandbox-status';
import { canTransition, sourcesOf, TRANSITIONS } from './transitions';

describe('sandbox transitions', () => {
  it('lists every status in the table', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL_SANDBOX_STATUSES].sort());
  });

  it('never leads from a used state back to available (one-time use)', () => {
    for (const from of USED_STATUSES) {
      expect(canTransition(from, SandboxStatus.Available)).toBe(false);
    }
  });

  it('makes the tombstone terminal', () => {
    expect(TRANSITIONS[SandboxStatus.Deleted]).toEqual([]);
  });

  it('only lets a student allocate an available sandbox', () => {
    expect(sourcesOf(SandboxStatus.Allocated, 'student')).toEqual([SandboxStatus.Available]);
    expect(canTransition(SandboxStatus.Available, SandboxStatus.Allocated, 'sync')).toBe(false);
  });

  it('lets sync revive only stale rows', () => {
    expect(sourcesOf(SandboxStatus.Available, 'sync')).toEqual([SandboxStatus.Stale]);
  });
});
