import { InvalidCursorError, SandboxStatus as S, type Sandbox } from '@broker/domain';
import { aProviderPool, FixedClock } from '@broker/domain/testing';
import type { StoreHarness, StoreHarnessFactory } from './store-harness';

/** Walks every page of an admin listing; fails on a repeat or a runaway cursor. */
async function walk(
  h: StoreHarness,
  query: Parameters<StoreHarness['store']['admin']['list']>[0],
): Promise<Sandbox[]> {
  const rows: Sandbox[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await h.store.admin.list({ ...query, ...(cursor ? { cursor } : {}) });
    rows.push(...page.items);
    if (page.cursor === null) return rows;
    cursor = page.cursor;
  }
  throw new Error('listing did not end within 100 pages');
}

/** The SandboxAdminRepository contract: every engine must pass the same suite. */
export function describeAdminContract(engine: string, factory: StoreHarnessFactory) {
  describe(`SandboxAdminRepository contract: ${engine}`, () => {
    let h: StoreHarness;
    let clock: FixedClock;

    beforeEach(async () => {
      clock = new FixedClock();
      h = await factory({ clock, lease: { leaseSeconds: 3600, graceSeconds: 600 } });
      for (const account of [...aProviderPool(5, 'adm-a-'), ...aProviderPool(3, 'adm-b-')]) {
        await h.store.sandboxes.upsertFromProvider(account);
      }
    });
    afterEach(() => h.close());

    async function allocate(student: string, prefix: string, trackName?: string) {
      clock.advanceSeconds(1);
      const { sandbox } = await h.store.sandboxes.allocate({
        studentId: student,
        idempotencyKey: student,
        namePrefix: prefix,
        ...(trackName ? { trackName } : {}),
      });
      return sandbox;
    }

    it('lists by status and name prefix, every row exactly once across pages', async () => {
      await allocate('s1', 'adm-a-');
      const available = await walk(h, { status: S.Available, limit: 2 });
      expect(available).toHaveLength(7);
      expect(new Set(available.map((s) => s.sandboxId)).size).toBe(7);
      const prefixed = await walk(h, { status: S.Available, namePrefix: 'adm-b-', limit: 2 });
      expect(prefixed.map((s) => s.name).sort()).toEqual([
        'adm-b-0001',
        'adm-b-0002',
        'adm-b-0003',
      ]);
      const everything = await walk(h, { limit: 3 });
      expect(everything).toHaveLength(8);
      expect(new Set(everything.map((s) => s.sandboxId)).size).toBe(8);
    });

    it("lists a student's and a track's sandboxes, newest allocation first", async () => {
      const first = await allocate('s1', 'adm-a-', 'dns-lab');
      const second = await allocate('s1-again', 'adm-b-', 'dns-lab');
      await allocate('s2', 'adm-a-', 'other-lab');
      const byTrack = await walk(h, { track: 'dns-lab', limit: 1 });
      expect(byTrack.map((s) => s.sandboxId)).toEqual([second.sandboxId, first.sandboxId]);
      const byOwner = await walk(h, { owner: 's1', limit: 10 });
      expect(byOwner.map((s) => s.sandboxId)).toEqual([first.sandboxId]);
      const filtered = await walk(h, { track: 'dns-lab', namePrefix: 'adm-b-', limit: 10 });
      expect(filtered.map((s) => s.sandboxId)).toEqual([second.sandboxId]);
    });

    it('refuses a cursor issued for another filter, or forged', async () => {
      const page = await h.store.admin.list({ status: S.Available, limit: 1 });
      expect(page.cursor).not.toBeNull();
      await expect(
        h.store.admin.list({ status: S.Stale, limit: 1, cursor: page.cursor! }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
      const forged = Buffer.from(JSON.stringify({ v: 1, f: 'x', p: 1 })).toString('base64url');
      await expect(
        h.store.admin.list({ status: S.Available, limit: 1, cursor: forged }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('counts exactly by status and by name prefix', async () => {
      const taken = await allocate('s1', 'adm-b-');
      await h.store.sandboxes.release(taken.sandboxId, 's1');
      const stats = await h.store.admin.stats();
      expect(stats.total).toBe(8);
      expect(stats.byStatus).toMatchObject({
        [S.Available]: 7,
        [S.PendingDeletion]: 1,
        [S.Allocated]: 0,
      });
      expect(stats.byPrefix).toEqual({
        'adm-a-': { [S.Available]: 5 },
        'adm-b-': { [S.Available]: 2, [S.PendingDeletion]: 1 },
      });
    });

    it("shows the last complete sync's provider discrepancies; a late older one never replaces it", async () => {
      expect((await h.store.admin.stats()).providerDiscrepancies).toBeNull();
      const latest = { tombstonesStillListed: 2, allocatedVanished: 1, atMs: 2_000 };
      await h.store.lifecycle.recordSyncDiscrepancies(latest);
      await h.store.lifecycle.recordSyncDiscrepancies({
        ...latest,
        tombstonesStillListed: 9,
        atMs: 1_000,
      });
      expect((await h.store.admin.stats()).providerDiscrepancies).toEqual(latest);
    });

    it('repairs: force release, quarantine with a reason, retry clears the failure state', async () => {
      const taken = await allocate('s1', 'adm-a-');
      const released = await h.store.admin.forceRelease(taken.sandboxId);
      expect(released).toMatchObject({ status: S.PendingDeletion, ownerId: 's1' });
      expect(await h.store.admin.forceRelease(taken.sandboxId)).toBeNull();
      const quarantined = await h.store.admin.quarantine(taken.sandboxId, 'looks odd');
      expect(quarantined).toMatchObject({ status: S.Quarantined, quarantineReason: 'looks odd' });
      const retried = await h.store.admin.retryDeletion(taken.sandboxId);
      expect(retried).toMatchObject({ status: S.PendingDeletion, deletionAttempts: 0 });
      expect(retried?.quarantineReason).toBeUndefined();
      expect(await h.store.sandboxes.get(taken.sandboxId)).toEqual(retried);
    });

    it('bulk writes: sends to deletion only from the named status, tombstones for good', async () => {
      const [row] = (await h.store.admin.list({ status: S.Available, limit: 1 })).items;
      const id = row!.sandboxId;
      expect(await h.store.admin.sendToDeletion(id, S.Stale)).toBe(false);
      expect(await h.store.admin.sendToDeletion(id, S.Available)).toBe(true);
      expect((await h.store.sandboxes.get(id))?.deletionRequestedAt).toBeDefined();
      expect(await h.store.admin.tombstone(id, S.PendingDeletion)).toBe(true);
      expect(await h.store.sandboxes.get(id)).toMatchObject({ status: S.Deleted });
      // A tombstone never moves again.
      expect(await h.store.admin.quarantine(id, 'late')).toBeNull();
      expect(await h.store.admin.retryDeletion(id)).toBeNull();
    });
  });
}
