import {
  InvalidCursorError,
  type ListEventsQuery,
  type NewSandboxEvent,
  type SandboxEvent,
  type SandboxEventLog,
  SandboxStatus,
} from '@broker/domain';
import { type FixedClock } from '@broker/domain/testing';

export interface EventLogHarness {
  readonly log: SandboxEventLog;
  readonly clock: FixedClock;
}

export type EventLogFactory = () => Promise<EventLogHarness>;

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

function transition(sandboxId: string, extra: Partial<NewSandboxEvent> = {}): NewSandboxEvent {
  return {
    type: 'transition',
    sandboxId,
    from: SandboxStatus.Available,
    to: SandboxStatus.Allocated,
    // `via`: the acting track token's name; admin events below have none and read back without.
    actor: { kind: 'student', id: `student-${sandboxId}`, via: 'dns-lab' },
    action: 'allocate',
    requestId: `req-${sandboxId}`,
    details: { track: 'lab-1' },
    ...extra,
  };
}

/** Every page of a query, checking that each page respects the limit and that paging ends. */
async function allPages(log: SandboxEventLog, query: ListEventsQuery): Promise<SandboxEvent[]> {
  const seen: SandboxEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page += 1) {
    const result = await log.list({ ...query, ...(cursor ? { cursor } : {}) });
    expect(result.items.length).toBeLessThanOrEqual(query.limit);
    seen.push(...result.items);
    if (result.cursor === null) return seen;
    expect(result.items.length).toBe(query.limit);
    cursor = result.cursor;
  }
  throw new Error('paging did not terminate');
}

function ids(events: readonly SandboxEvent[]): string[] {
  return events.map((e) => e.eventId);
}

function newestFirst(events: readonly SandboxEvent[]): boolean {
  return events.every((e, i) => i === 0 || events[i - 1]!.eventId > e.eventId);
}

/** The behaviour every SandboxEventLog must have, whatever stores it. */
export function describeEventLogContract(name: string, create: EventLogFactory): void {
  describe(`SandboxEventLog contract (${name})`, () => {
    it('reads back what was recorded, every field, newest first', async () => {
      const { log, clock } = await create();
      clock.set(T0);
      log.record(transition('sbx-1'));
      clock.set(T0 + 1_000);
      log.record({
        type: 'admin_action',
        sandboxId: null,
        actor: { kind: 'admin', id: 'ops' },
        action: 'bulk_delete',
        details: { deleted: 3, forced: false, note: null },
      });
      clock.set(T0 + 2_000);
      log.record(
        transition('sbx-1', {
          from: SandboxStatus.Allocated,
          to: SandboxStatus.PendingDeletion,
          action: 'release',
        }),
      );
      await log.flush();

      const { items, cursor } = await log.list({ limit: 10 });
      expect(cursor).toBeNull();
      expect(items.map((e) => [e.action, e.atMs])).toEqual([
        ['release', T0 + 2_000],
        ['bulk_delete', T0 + 1_000],
        ['allocate', T0],
      ]);
      expect(items[2]).toEqual({
        eventId: expect.stringMatching(/^\d{13}-[0-9a-f]{12}$/) as string,
        atMs: T0,
        type: 'transition',
        sandboxId: 'sbx-1',
        from: 'available',
        to: 'allocated',
        actor: { kind: 'student', id: 'student-sbx-1', via: 'dns-lab' },
        action: 'allocate',
        requestId: 'req-sbx-1',
        details: { track: 'lab-1' },
      });
      expect(items[1]).toEqual({
        eventId: expect.any(String) as string,
        atMs: T0 + 1_000,
        type: 'admin_action',
        sandboxId: null,
        actor: { kind: 'admin', id: 'ops' },
        action: 'bulk_delete',
        details: { deleted: 3, forced: false, note: null },
      });
    });

    it('filters by sandbox, by type, by time range, and by all of them at once', async () => {
      const { log, clock } = await create();
      for (let i = 0; i < 12; i += 1) {
        clock.set(T0 + i * 1_000);
        log.record(transition(`sbx-${i % 3}`));
        if (i % 4 === 0) {
          log.record({
            type: 'admin_action',
            sandboxId: `sbx-${i % 3}`,
            actor: { kind: 'admin', id: 'ops' },
            action: 'quarantine',
          });
        }
      }
      await log.flush();

      const bySandbox = await allPages(log, { limit: 100, sandboxId: 'sbx-1' });
      expect(bySandbox.map((e) => e.atMs)).toEqual([10, 7, 4, 4, 1].map((s) => T0 + s * 1_000));
      expect(bySandbox.every((e) => e.sandboxId === 'sbx-1')).toBe(true);

      const admin = await allPages(log, { limit: 100, type: 'admin_action' });
      expect(admin.map((e) => e.atMs)).toEqual([8, 4, 0].map((s) => T0 + s * 1_000));

      const window = await allPages(log, { limit: 100, fromMs: T0 + 3_000, toMs: T0 + 5_000 });
      // Same-millisecond events order by the id's random part: compare those as a set.
      expect(window.map((e) => e.atMs)).toEqual([5, 4, 4, 3].map((s) => T0 + s * 1_000));
      expect(window.map((e) => e.type).sort()).toEqual([
        'admin_action',
        'transition',
        'transition',
        'transition',
      ]);
      expect(newestFirst(window)).toBe(true);

      const combined = await allPages(log, {
        limit: 100,
        sandboxId: 'sbx-1',
        type: 'admin_action',
        fromMs: T0,
        toMs: T0 + 4_000,
      });
      expect(combined.map((e) => [e.sandboxId, e.type, e.atMs])).toEqual([
        ['sbx-1', 'admin_action', T0 + 4_000],
      ]);

      expect((await log.list({ limit: 10, sandboxId: 'nope' })).items).toEqual([]);
      expect((await log.list({ limit: 10, fromMs: T0 + 5_000, toMs: T0 })).items).toEqual([]);
      expect((await log.list({ limit: 10, toMs: T0 - 1 })).items).toEqual([]);
    });

    it('pages newest first, each event exactly once, and the last page has no cursor', async () => {
      const { log, clock } = await create();
      // Several events share a millisecond: order falls back to the id's random part.
      for (let i = 0; i < 57; i += 1) {
        clock.set(T0 + Math.floor(i / 3));
        log.record(transition(`sbx-${i}`));
      }
      await log.flush();
      const all = (await log.list({ limit: 100 })).items;
      expect(all).toHaveLength(57);
      expect(newestFirst(all)).toBe(true);

      for (const limit of [1, 7, 19, 57]) {
        const paged = await allPages(log, { limit });
        expect(ids(paged)).toEqual(ids(all));
      }
      const filtered = await allPages(log, { limit: 4, fromMs: T0 + 5, toMs: T0 + 10 });
      expect(ids(filtered)).toEqual(ids(all.filter((e) => e.atMs >= T0 + 5 && e.atMs <= T0 + 10)));
      expect(filtered).toHaveLength(18);
    });

    it('rejects malformed cursors and cursors issued for another filter', async () => {
      const { log, clock } = await create();
      for (let i = 0; i < 3; i += 1) {
        clock.set(T0 + i);
        log.record(transition('sbx-1'));
      }
      await log.flush();
      const first = await log.list({ limit: 1, sandboxId: 'sbx-1' });
      expect(first.cursor).not.toBeNull();
      const cursor = first.cursor!;
      for (const bad of ['', 'not a cursor', '%%%', 'eyJ2IjoxfQ', cursor.slice(0, -3)]) {
        await expect(log.list({ limit: 1, cursor: bad })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      }
      const forged = Buffer.from(
        JSON.stringify({ v: 1, f: '["sbx-1",null,null,null]', e: '../../etc' }),
      ).toString('base64url');
      await expect(
        log.list({ limit: 1, sandboxId: 'sbx-1', cursor: forged }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(log.list({ limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(
        log.list({ limit: 1, sandboxId: 'sbx-1', type: 'transition', cursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
      // The same filter with another page size is fine.
      const rest = await log.list({ limit: 5, sandboxId: 'sbx-1', cursor });
      expect(rest.items).toHaveLength(2);
      expect(rest.cursor).toBeNull();
    });

    it('takes the time from the clock unless the caller gives one', async () => {
      const { log, clock } = await create();
      clock.set(T0 + 42);
      log.record(transition('sbx-a'));
      log.record(transition('sbx-b', { atMs: T0 - 5_000 }));
      await log.flush();
      const items = (await log.list({ limit: 10 })).items;
      expect(items.map((e) => [e.sandboxId, e.atMs])).toEqual([
        ['sbx-a', T0 + 42],
        ['sbx-b', T0 - 5_000],
      ]);
    });
  });
}
