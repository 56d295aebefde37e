import {
  type Clock,
  type JobLeaseRepository,
  type LeasePolicy,
  SandboxStatus,
  type SandboxLifecycleRepository,
  type SandboxRepository,
} from '@broker/domain';
import { aProviderPool, FixedClock } from '@broker/domain/testing';

export interface LifecycleHarness {
  readonly pool: SandboxRepository;
  readonly lifecycle: SandboxLifecycleRepository;
  readonly leases: JobLeaseRepository;
  close(): Promise<void>;
}

export type LifecycleHarnessFactory = (options: {
  clock: Clock;
  lease: LeasePolicy;
}) => Promise<LifecycleHarness>;

/** The lifecycle and job-lease ports' contract: every engine must pass the same suite. */
export function lifecycleContract(name: string, factory: LifecycleHarnessFactory): void {
  describe(`${name}: lifecycle and job leases`, () => {
    let clock: FixedClock;
    let h: LifecycleHarness;
    const lease = { leaseSeconds: 3600, graceSeconds: 600 };
    const now = () => Math.floor(clock.nowMs() / 1000);

    beforeEach(async () => {
      clock = new FixedClock();
      h = await factory({ clock, lease });
    });
    afterEach(() => h.close());

    async function pendingSandbox(student = 's1') {
      const [account] = aProviderPool(1, `lab-lc-${student}-`);
      if (!account) throw new Error('no account');
      await h.pool.upsertFromProvider(account);
      await h.pool.allocate({
        studentId: student,
        idempotencyKey: student,
        namePrefix: account.name,
      });
      await h.pool.release(account.sandboxId, student);
      return account.sandboxId;
    }

    it('marks an available row stale (out of allocation) and sync revives it', async () => {
      const [account] = aProviderPool(1, 'lab-lc-stale-');
      if (!account) throw new Error('no account');
      await h.pool.upsertFromProvider(account);
      // Synced at this very second: not "missing since" it.
      expect(await h.lifecycle.markStale(account.sandboxId, now())).toBe(false);
      clock.advanceSeconds(10);
      expect(await h.lifecycle.markStale(account.sandboxId, now())).toBe(true);
      expect(await h.pool.get(account.sandboxId)).toMatchObject({
        status: SandboxStatus.Stale,
        staleSince: now(),
      });
      await expect(
        h.pool.allocate({ studentId: 'x', idempotencyKey: 'x', namePrefix: account.name }),
      ).rejects.toMatchObject({ code: 'NO_SANDBOXES_AVAILABLE' });
      expect(await h.pool.upsertFromProvider(account)).toBe('revived');

      // Stale purge: tombstone once stale long enough.
      clock.advanceSeconds(10);
      await h.lifecycle.markStale(account.sandboxId, now());
      const staleAt = now();
      expect(await h.lifecycle.purgeStale(account.sandboxId, staleAt - 1)).toBe(false);
      expect(await h.lifecycle.purgeStale(account.sandboxId, staleAt)).toBe(true);
      expect(await h.pool.upsertFromProvider(account)).toBe('untouched');
      expect((await h.pool.get(account.sandboxId))?.status).toBe(SandboxStatus.Deleted);
    });

    it('never marks an allocated row stale and expires it only past the cutoff', async () => {
      const [account] = aProviderPool(1, 'lab-lc-exp-');
      if (!account) throw new Error('no account');
      await h.pool.upsertFromProvider(account);
      const { sandbox } = await h.pool.allocate({
        studentId: 's',
        idempotencyKey: 's',
        namePrefix: account.name,
      });
      clock.advanceSeconds(10);
      expect(await h.lifecycle.markStale(sandbox.sandboxId, now())).toBe(false);
      const expiresAt = sandbox.expiresAt ?? 0;
      expect(await h.lifecycle.expire(sandbox.sandboxId, expiresAt - 1)).toBe(false);
      expect(await h.lifecycle.expire(sandbox.sandboxId, expiresAt)).toBe(true);
      expect(await h.lifecycle.expire(sandbox.sandboxId, expiresAt)).toBe(false);
      expect(await h.pool.get(sandbox.sandboxId)).toMatchObject({
        status: SandboxStatus.PendingDeletion,
        ownerId: 's',
        deletionRequestedAt: now(),
      });
    });

    it('lets only one owner claim a deletion, and only that owner finish it', async () => {
      const id = await pendingSandbox();
      const claim = await h.lifecycle.claimDeletion(id, 'worker-a:1');
      expect(claim?.sandbox.status).toBe(SandboxStatus.Deleting);
      expect(await h.lifecycle.claimDeletion(id, 'worker-b:1')).toBeNull();
      if (!claim) throw new Error('unreachable');
      expect(await h.lifecycle.completeDeletion({ ...claim, owner: 'worker-b:1' })).toBe(false);
      expect(await h.lifecycle.recordPreDeleteDone(claim)).toBe(true);
      expect(await h.lifecycle.completeDeletion(claim)).toBe(true);
      expect(await h.lifecycle.completeDeletion(claim)).toBe(false);
      expect(await h.pool.get(id)).toMatchObject({
        status: SandboxStatus.Deleted,
        deletedAt: now(),
      });
      expect((await h.pool.countByStatus()).deleted).toBe(1);
    });

    it('counts failed attempts, waits for next_attempt_at, and quarantines', async () => {
      const id = await pendingSandbox();
      const first = await h.lifecycle.claimDeletion(id, 'w:1');
      if (!first) throw new Error('not claimed');
      expect(
        await h.lifecycle.failDeletion(first, { error: 'HTTP 500', nextAttemptAt: now() + 30 }),
      ).toBe(true);
      expect(await h.pool.get(id)).toMatchObject({
        status: SandboxStatus.DeletionFailed,
        deletionAttempts: 1,
        nextAttemptAt: now() + 30,
        lastError: 'HTTP 500',
      });
      expect(await h.lifecycle.claimDeletion(id, 'w:2')).toBeNull();
      clock.advanceSeconds(30);
      const second = await h.lifecycle.claimDeletion(id, 'w:2');
      expect(second?.sandbox.deletionAttempts).toBe(1);
      if (!second) throw new Error('not claimed');
      expect(await h.lifecycle.quarantine(second, 'attempts exhausted')).toBe(true);
      expect(await h.pool.get(id)).toMatchObject({
        status: SandboxStatus.Quarantined,
        deletionAttempts: 2,
        quarantineReason: 'attempts exhausted',
      });
    });

    it('hands back abandoned and crashed deletions uncounted; remembers the pre-clean', async () => {
      const id = await pendingSandbox();
      const claim = await h.lifecycle.claimDeletion(id, 'w:1');
      if (!claim) throw new Error('not claimed');
      await h.lifecycle.recordPreDeleteDone(claim);
      expect(await h.lifecycle.abandonDeletion(claim, 'shutdown')).toBe(true);
      expect(await h.pool.get(id)).toMatchObject({
        status: SandboxStatus.PendingDeletion,
        deletionAttempts: 0,
      });

      const crashed = await h.lifecycle.claimDeletion(id, 'w:2');
      expect(crashed?.preDeleteDoneAt).toBe(now());
      expect(await h.lifecycle.recoverDeletion(id, now() - 1)).toBe(false);
      clock.advanceSeconds(900);
      expect(await h.lifecycle.recoverDeletion(id, now() - 900)).toBe(true);
      expect(await h.pool.get(id)).toMatchObject({
        status: SandboxStatus.PendingDeletion,
        deletionAttempts: 0,
      });
      // The crashed owner's late write no longer lands.
      if (!crashed) throw new Error('unreachable');
      expect(await h.lifecycle.completeDeletion(crashed)).toBe(false);
    });

    it('grants a job lease to one holder until it is released or expires', async () => {
      const a = await h.leases.acquire('cleanup', 'worker-a:1', 30_000);
      expect(a).not.toBeNull();
      expect(await h.leases.acquire('cleanup', 'worker-b:1', 30_000)).toBeNull();
      expect(await h.leases.holder('cleanup')).toMatchObject({ owner: 'worker-a:1' });
      expect(await h.leases.acquire('sync', 'worker-b:1', 30_000)).not.toBeNull();
      if (!a) throw new Error('unreachable');

      clock.advanceSeconds(20);
      const renewed = await h.leases.renew(a, 30_000);
      expect(renewed?.expiresAtMs).toBe(clock.nowMs() + 30_000);
      clock.advanceSeconds(20);
      expect(await h.leases.acquire('cleanup', 'worker-b:2', 30_000)).toBeNull();

      clock.advanceSeconds(11);
      const b = await h.leases.acquire('cleanup', 'worker-b:3', 30_000);
      expect(b).not.toBeNull();
      // The expired holder can neither renew nor release the new holder's lease.
      expect(await h.leases.renew(a, 30_000)).toBeNull();
      await h.leases.release(a);
      expect(await h.leases.holder('cleanup')).toMatchObject({ owner: 'worker-b:3' });
      if (!b) throw new Error('unreachable');
      await h.leases.release(b);
      expect(await h.leases.holder('cleanup')).toBeNull();
      expect(await h.leases.acquire('cleanup', 'worker-a:2', 30_000)).not.toBeNull();
    });
  });
}
