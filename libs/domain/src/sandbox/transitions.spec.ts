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

  it('only lets a student allocate an available or an earmarked sandbox', () => {
    expect(sourcesOf(SandboxStatus.Allocated, 'student')).toEqual([
      SandboxStatus.Available,
      SandboxStatus.Reserved,
    ]);
    expect(canTransition(SandboxStatus.Available, SandboxStatus.Allocated, 'sync')).toBe(false);
  });

  it('lets only the reservation earmark a sandbox and give it back', () => {
    expect(sourcesOf(SandboxStatus.Reserved, 'reservation')).toEqual([SandboxStatus.Available]);
    for (const actor of ['student', 'sync', 'cleanup', 'expiry', 'operator', 'repair'] as const) {
      expect(sourcesOf(SandboxStatus.Reserved, actor)).toEqual([]);
    }
    expect(sourcesOf(SandboxStatus.Available, 'reservation')).toEqual([SandboxStatus.Reserved]);
    // A vanished earmarked sandbox is marked stale by sync; it is never revived as reserved.
    expect(canTransition(SandboxStatus.Reserved, SandboxStatus.Stale, 'sync')).toBe(true);
    expect(canTransition(SandboxStatus.Stale, SandboxStatus.Reserved)).toBe(false);
  });

  it('lets sync revive only stale rows', () => {
    expect(sourcesOf(SandboxStatus.Available, 'sync')).toEqual([SandboxStatus.Stale]);
  });
});
