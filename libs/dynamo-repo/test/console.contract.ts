import {
  type ActivityStatsRepository,
  type ConsoleSessionRepository,
  HOUR_MS,
  hourStartOf,
} from '@broker/domain';

/** What one engine offers the console contract: two repositories on one store (two tasks). */
export interface ConsoleParts {
  readonly sessions: ConsoleSessionRepository;
  readonly otherSessions: ConsoleSessionRepository;
  readonly activity: ActivityStatsRepository;
  readonly otherActivity: ActivityStatsRepository;
}

export type ConsoleFactory = () => Promise<ConsoleParts>;

const T0 = hourStartOf(Date.UTC(2026, 10, 30, 12, 0, 0));
const session = (id: string, expiresAtMs: number) => ({
  sessionIdHash: id.padEnd(64, '0'),
  csrfTokenHash: 'c'.repeat(64),
  role: 'viewer' as const,
  tokenName: 'instructor',
  createdAtMs: T0,
  expiresAtMs,
});

/** The console's sessions and chart counters: same behaviour on every store. */
export function consoleContract(engine: string, factory: ConsoleFactory): void {
  describe(`console sessions and counters (${engine})`, () => {
    let p: ConsoleParts;
    beforeAll(async () => {
      p = await factory();
    });

    it('a session is found by any task until it expires or is revoked', async () => {
      await p.sessions.create(session('a', T0 + 60_000));
      expect(await p.otherSessions.find('a'.padEnd(64, '0'), T0 + 1)).toEqual(
        session('a', T0 + 60_000),
      );
      expect(await p.otherSessions.find('a'.padEnd(64, '0'), T0 + 60_000)).toBeNull();
      expect(await p.sessions.find('b'.padEnd(64, '0'), T0)).toBeNull();
      await p.otherSessions.revoke('a'.padEnd(64, '0'));
      expect(await p.sessions.find('a'.padEnd(64, '0'), T0 + 1)).toBeNull();
      await p.sessions.revoke('a'.padEnd(64, '0'));
    });

    it('never overwrites an existing session id', async () => {
      await p.sessions.create(session('d', T0 + 60_000));
      await expect(p.otherSessions.create(session('d', T0 + 999_000))).rejects.toThrow();
      expect((await p.sessions.find('d'.padEnd(64, '0'), T0))?.expiresAtMs).toBe(T0 + 60_000);
    });

    it('concurrent allocation counter adds from two tasks add up exactly', async () => {
      const adds = Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? p.activity : p.otherActivity).addAllocations(
          new Map([
            [T0, 1],
            [T0 + HOUR_MS, 2],
          ]),
        ),
      );
      await Promise.all(adds);
      expect(await p.activity.allocationsPerHour(T0 - HOUR_MS, 4)).toEqual([0, 20, 40, 0]);
    });

    it('reads 168 hourly buckets (more than one BatchGetItem) in order, zero-filled', async () => {
      const from = T0 - 200 * HOUR_MS;
      await p.activity.addAllocations(
        new Map([
          [from, 5],
          [from + 150 * HOUR_MS, 7],
          [from + 167 * HOUR_MS, 9],
        ]),
      );
      const counts = await p.otherActivity.allocationsPerHour(from, 168);
      expect(counts).toHaveLength(168);
      expect(counts[0]).toBe(5);
      expect(counts[150]).toBe(7);
      expect(counts[167]).toBe(9);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(21);
    });

    it('adds cleanup outcomes per hour, concurrently and field by field', async () => {
      const hour = T0 + 10 * HOUR_MS;
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? p.activity : p.otherActivity).addCleanupOutcomes(hour, {
            deleted: 2,
            niosxaasSkipped: 1,
            ...(i === 0 ? { quarantined: 1 } : {}),
          }),
        ),
      );
      const [before, at] = await p.activity.cleanupPerHour(hour - HOUR_MS, 2);
      expect(before).toEqual({
        deleted: 0,
        retried: 0,
        failed: 0,
        quarantined: 0,
        niosxaasCleaned: 0,
        niosxaasSkipped: 0,
        niosxaasFailed: 0,
      });
      expect(at).toEqual({ ...before, deleted: 20, niosxaasSkipped: 10, quarantined: 1 });
    });

    it('keeps the newest track snapshot', async () => {
      expect(await p.activity.readTrackSnapshot()).toBeNull();
      const newer = { asOfMs: T0 + 2000, tracks: [{ track: 'dns', allocated: 4 }] };
      await p.activity.writeTrackSnapshot(newer);
      await p.otherActivity.writeTrackSnapshot({ asOfMs: T0 + 1000, tracks: [] });
      expect(await p.otherActivity.readTrackSnapshot()).toEqual(newer);
    });
  });
}
