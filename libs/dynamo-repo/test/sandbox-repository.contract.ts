import {
  type AllocationRequest,
  type AllocationResult,
  type ExtensionPolicy,
  isDomainError,
  type LeasePolicy,
  type ProviderSandbox,
  type Sandbox,
  type SandboxRepository,
  SandboxStatus,
  systemClock,
} from '@broker/domain';
import { aProviderSandbox, FixedClock } from '@broker/domain/testing';
import type { ContractHarness, HarnessFactory } from './harness';

const LEASE: LeasePolicy = { leaseSeconds: 4 * 3600, graceSeconds: 600 };

function request(studentId: string, extra: Partial<AllocationRequest> = {}): AllocationRequest {
  return { studentId, idempotencyKey: studentId, ...extra };
}

function pool(prefix: string, count: number): ProviderSandbox[] {
  return Array.from({ length: count }, (_, i) =>
    aProviderSandbox({ name: `${prefix}${String(i + 1).padStart(4, '0')}` }),
  );
}

async function seed(repo: SandboxRepository, sandboxes: readonly ProviderSandbox[]) {
  let next = 0;
  const worker = async () => {
    while (next < sandboxes.length) {
      const sandbox = sandboxes[next++];
      if (sandbox) await repo.upsertFromProvider(sandbox);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isDomainError(error) ? error.code : `unexpected: ${String(error)}`;
  }
}

/**
 * The behaviour every SandboxRepository must have, run against each engine. `factory` gives a
 * fresh, empty store per test.
 */
export function describeSandboxRepositoryContract(engine: string, factory: HarnessFactory): void {
  describe(`SandboxRepository contract: ${engine}`, () => {
    let clock: FixedClock;
    let h: ContractHarness;
    let repo: SandboxRepository;

    beforeEach(async () => {
      clock = new FixedClock(Date.UTC(2026, 10, 22, 12, 0, 0));
      h = await factory({ clock, lease: LEASE });
      repo = h.repo;
    });

    afterEach(async () => {
      await h.close();
    });

    describe('allocate', () => {
      it('allocates a new sandbox (created) and returns the same one on a repeat (not created)', async () => {
        await seed(repo, pool('lab-', 3));
        const first = await repo.allocate(request('student-1', { trackName: 'dns-lab' }));
        expect(first.created).toBe(true);
        const nowS = Math.floor(clock.nowMs() / 1000);
        expect(first.sandbox).toMatchObject({
          status: SandboxStatus.Allocated,
          ownerId: 'student-1',
          idempotencyKey: 'student-1',
          trackName: 'dns-lab',
          allocatedAt: nowS,
          expiresAt: nowS + LEASE.leaseSeconds,
        });
        clock.advanceSeconds(30);
        const again = await repo.allocate(request('student-1'));
        expect(again.created).toBe(false);
        expect(again.sandbox.sandboxId).toBe(first.sandbox.sandboxId);
        expect(again.sandbox.expiresAt).toBe(first.sandbox.expiresAt);
        expect(await repo.get(first.sandbox.sandboxId)).toEqual(first.sandbox);
      });

      it('keeps idempotency per student and key: another key or another student gets another sandbox', async () => {
        await seed(repo, pool('lab-', 3));
        const a = await repo.allocate(request('student-1'));
        const b = await repo.allocate(request('student-1', { idempotencyKey: 'second-lab' }));
        const c = await repo.allocate(request('student-2', { idempotencyKey: 'student-1' }));
        const ids = new Set([a, b, c].map((r) => r.sandbox.sandboxId));
        expect(ids.size).toBe(3);
        expect(c.sandbox.ownerId).toBe('student-2');
      });

      it('never lets separators in ids make two students share a claim', async () => {
        await seed(repo, pool('lab-', 2));
        const a = await repo.allocate({ studentId: 'a#b', idempotencyKey: 'c' });
        const b = await repo.allocate({ studentId: 'a', idempotencyKey: 'b#c' });
        expect(b.created).toBe(true);
        expect(b.sandbox.sandboxId).not.toBe(a.sandbox.sandboxId);
        expect(b.sandbox.ownerId).toBe('a');
      });

      it('serves a name prefix from the index range and reports exhaustion per prefix', async () => {
        await seed(repo, [...pool('lab-a-', 4), ...pool('lab-b-', 2)]);
        const got: string[] = [];
        for (const student of ['s1', 's2']) {
          const result = await repo.allocate(request(student, { namePrefix: 'lab-b-' }));
          expect(result.sandbox.name.startsWith('lab-b-')).toBe(true);
          got.push(result.sandbox.sandboxId);
        }
        expect(new Set(got).size).toBe(2);
        expect(await codeOf(repo.allocate(request('s3', { namePrefix: 'lab-b-' })))).toBe(
          'NO_SANDBOXES_AVAILABLE',
        );
        // Other prefixes and no prefix still allocate.
        const other = await repo.allocate(request('s4', { namePrefix: 'lab-a-' }));
        expect(other.sandbox.name.startsWith('lab-a-')).toBe(true);
        const any = await repo.allocate(request('s5'));
        expect(any.sandbox.name.startsWith('lab-a-')).toBe(true);
        // The student who got a 409 still holds nothing.
        const rows = await h.allRows();
        expect(rows.filter((r) => r.ownerId === 's3')).toEqual([]);
      });

      it('answers no sandboxes only when none is available, but still returns a held one', async () => {
        expect(await codeOf(repo.allocate(request('s1')))).toBe('NO_SANDBOXES_AVAILABLE');
        await seed(repo, pool('lab-', 1));
        const first = await repo.allocate(request('s1'));
        expect(first.created).toBe(true);
        expect(await codeOf(repo.allocate(request('s2')))).toBe('NO_SANDBOXES_AVAILABLE');
        const repeat = await repo.allocate(request('s1'));
        expect(repeat).toEqual({ sandbox: first.sandbox, created: false });
      });

      it('stores expires_at = allocated_at + lease as the one lease clock', async () => {
        await seed(repo, pool('lab-', 1));
        clock.set(Date.UTC(2027, 0, 1, 0, 0, 0) + 999);
        const { sandbox } = await repo.allocate(request('s1'));
        const allocatedAt = Math.floor(Date.UTC(2027, 0, 1) / 1000);
        expect(sandbox.allocatedAt).toBe(allocatedAt);
        expect(sandbox.expiresAt).toBe(allocatedAt + LEASE.leaseSeconds);
        const [row] = await h.allRows();
        expect(row?.expiresAt).toBe(allocatedAt + LEASE.leaseSeconds);
      });

      it('honours a per-request lease (a track lease) on a new allocation, not on a repeat', async () => {
        await seed(repo, pool('lab-', 2));
        clock.set(Date.UTC(2027, 0, 1, 0, 0, 0));
        const allocatedAt = Math.floor(Date.UTC(2027, 0, 1) / 1000);
        const { sandbox } = await repo.allocate(request('s1', { leaseSeconds: 1800 }));
        expect(sandbox.expiresAt).toBe(allocatedAt + 1800);
        expect((await repo.get(sandbox.sandboxId))?.expiresAt).toBe(allocatedAt + 1800);
        clock.advanceSeconds(60);
        const repeat = await repo.allocate(request('s1', { leaseSeconds: 7200 }));
        expect(repeat.created).toBe(false);
        expect(repeat.sandbox.expiresAt).toBe(allocatedAt + 1800);
        const other = await repo.allocate(request('s2'));
        expect(other.sandbox.expiresAt).toBe(allocatedAt + 60 + LEASE.leaseSeconds);
      });
    });

    describe('release', () => {
      it('moves the owner’s sandbox to pending_deletion and repeats idempotently', async () => {
        await seed(repo, pool('lab-', 2));
        const { sandbox } = await repo.allocate(request('s1'));
        clock.advanceSeconds(60);
        const released = await repo.release(sandbox.sandboxId, 's1');
        expect(released.changed).toBe(true);
        expect(released.sandbox).toMatchObject({
          status: SandboxStatus.PendingDeletion,
          deletionRequestedAt: Math.floor(clock.nowMs() / 1000),
          ownerId: 's1',
        });
        clock.advanceSeconds(60);
        const repeat = await repo.release(sandbox.sandboxId, 's1');
        expect(repeat).toEqual({ sandbox: released.sandbox, changed: false });
      });

      it('refuses other students and unknown ids without changing anything', async () => {
        await seed(repo, pool('lab-', 2));
        const { sandbox } = await repo.allocate(request('s1'));
        expect(await codeOf(repo.release(sandbox.sandboxId, 's2'))).toBe('NOT_SANDBOX_OWNER');
        expect(await codeOf(repo.release('does-not-exist', 's1'))).toBe('SANDBOX_NOT_FOUND');
        const free = (await h.allRows()).find((r) => r.status === SandboxStatus.Available);
        expect(await codeOf(repo.release(free?.sandboxId ?? '', 's1'))).toBe('NOT_SANDBOX_OWNER');
        expect((await repo.get(sandbox.sandboxId))?.status).toBe(SandboxStatus.Allocated);
      });

      it('lets the owner release after expires_at (no separate expiry clock)', async () => {
        await seed(repo, pool('lab-', 1));
        const { sandbox } = await repo.allocate(request('s1'));
        clock.advanceSeconds(LEASE.leaseSeconds + LEASE.graceSeconds + 1);
        expect((await repo.release(sandbox.sandboxId, 's1')).changed).toBe(true);
      });
    });

    describe('extend', () => {
      const POLICY: ExtensionPolicy = { stepSeconds: 3600, maxCount: 2, maxLeaseSeconds: 8 * 3600 };

      async function allocated(student = 's1'): Promise<Sandbox> {
        await seed(repo, pool('lab-', 2));
        clock.set(Date.UTC(2027, 0, 1));
        return (await repo.allocate(request(student))).sandbox;
      }

      it('adds one step per call up to the count, then refuses with the limits', async () => {
        const sandbox = await allocated();
        const lease = sandbox.allocatedAt! + LEASE.leaseSeconds;
        expect(sandbox.expiresAt).toBe(lease);
        clock.advanceSeconds(60);
        const once = await repo.extend(sandbox.sandboxId, 's1', POLICY);
        expect(once).toMatchObject({
          status: SandboxStatus.Allocated,
          expiresAt: lease + 3600,
          extensionCount: 1,
          ownerId: 's1',
        });
        const twice = await repo.extend(sandbox.sandboxId, 's1', POLICY);
        expect(twice).toMatchObject({ expiresAt: lease + 7200, extensionCount: 2 });
        expect(await repo.get(sandbox.sandboxId)).toEqual(twice);
        const refused = await repo.extend(sandbox.sandboxId, 's1', POLICY).catch((e) => e);
        expect(refused).toMatchObject({
          code: 'EXTENSION_LIMIT_REACHED',
          problemFields: {
            limits: { step_minutes: 60, max_count: 2, max_lease_hours: 8, extension_count: 2 },
          },
        });
        expect(await repo.get(sandbox.sandboxId)).toEqual(twice);
      });

      it('never moves expires_at past allocated_at + the longest lease (the last step is cut)', async () => {
        const sandbox = await allocated();
        const policy = { stepSeconds: 3 * 3600, maxCount: 5, maxLeaseSeconds: 6 * 3600 };
        const cut = await repo.extend(sandbox.sandboxId, 's1', policy);
        expect(cut.expiresAt).toBe(sandbox.allocatedAt! + 6 * 3600);
        expect(await codeOf(repo.extend(sandbox.sandboxId, 's1', policy))).toBe(
          'EXTENSION_LIMIT_REACHED',
        );
        expect((await repo.get(sandbox.sandboxId))?.extensionCount).toBe(1);
      });

      it('refuses other students, unknown ids, a disabled extension and a released sandbox', async () => {
        const sandbox = await allocated();
        expect(await codeOf(repo.extend(sandbox.sandboxId, 's2', POLICY))).toBe(
          'NOT_SANDBOX_OWNER',
        );
        expect(await codeOf(repo.extend('does-not-exist', 's1', POLICY))).toBe('SANDBOX_NOT_FOUND');
        expect(await codeOf(repo.extend(sandbox.sandboxId, 's1', { ...POLICY, maxCount: 0 }))).toBe(
          'EXTENSION_LIMIT_REACHED',
        );
        await repo.release(sandbox.sandboxId, 's1');
        expect(await codeOf(repo.extend(sandbox.sandboxId, 's1', POLICY))).toBe(
          'SANDBOX_NOT_ALLOCATED',
        );
        const row = await repo.get(sandbox.sandboxId);
        expect(row).toMatchObject({
          status: SandboxStatus.PendingDeletion,
          expiresAt: sandbox.expiresAt,
        });
        expect(row?.extensionCount).toBeUndefined();
      });

      it.each([
        [2, 2],
        [20, 10],
      ])(
        '10 concurrent extensions with max count %i add exactly %i steps',
        async (maxCount, steps) => {
          const sandbox = await allocated();
          const policy = { stepSeconds: 600, maxCount, maxLeaseSeconds: 7 * 24 * 3600 };
          const codes = await Promise.all(
            Array.from({ length: 10 }, () => codeOf(repo.extend(sandbox.sandboxId, 's1', policy))),
          );
          expect(codes.filter((c) => c === 'resolved')).toHaveLength(steps);
          expect(
            codes.filter((c) => c !== 'resolved').every((c) => c === 'EXTENSION_LIMIT_REACHED'),
          ).toBe(true);
          const row = await repo.get(sandbox.sandboxId);
          expect(row).toMatchObject({
            expiresAt: sandbox.expiresAt! + steps * 600,
            extensionCount: steps,
            version: sandbox.version + steps,
          });
        },
      );
    });

    describe('findByExternalId', () => {
      it('finds a sandbox by its provider account uuid, bare or as the full path, any case', async () => {
        const [target, other] = pool('lab-', 2);
        await seed(repo, [target!, other!]);
        const uuid = target!.externalId.slice('identity/accounts/'.length);
        for (const ref of [uuid, target!.externalId, uuid.toUpperCase()]) {
          expect(await repo.findByExternalId(ref)).toMatchObject({
            sandboxId: target!.sandboxId,
            status: SandboxStatus.Available,
          });
        }
      });

      it('answers the current row (owner, status) after allocation and release', async () => {
        const [target] = pool('lab-', 1);
        await seed(repo, [target!]);
        await repo.allocate(request('student-1'));
        expect(await repo.findByExternalId(target!.externalId)).toMatchObject({
          sandboxId: target!.sandboxId,
          status: SandboxStatus.Allocated,
          ownerId: 'student-1',
        });
        await repo.release(target!.sandboxId, 'student-1');
        expect(await repo.findByExternalId(target!.externalId)).toMatchObject({
          status: SandboxStatus.PendingDeletion,
          ownerId: 'student-1',
        });
      });

      it('is null for an unknown account and for values that are not account ids', async () => {
        const [target] = pool('lab-', 1);
        await seed(repo, [target!]);
        expect(await repo.findByExternalId('00000000-0000-4000-8000-999999999999')).toBeNull();
        expect(await repo.findByExternalId(target!.sandboxId)).toBeNull();
        expect(await repo.findByExternalId(`identity/users/${target!.sandboxId}`)).toBeNull();
      });
    });

    describe('one-time use', () => {
      it('never makes an ever-allocated sandbox available again (tombstone)', async () => {
        const [only] = pool('lab-', 1);
        if (!only) throw new Error('no sandbox');
        await seed(repo, [only]);
        const { sandbox } = await repo.allocate(request('s1'));
        await repo.release(sandbox.sandboxId, 's1');
        expect(await repo.upsertFromProvider({ ...only, name: 'lab-renamed' })).toBe('untouched');
        await h.forceStatus(sandbox.sandboxId, SandboxStatus.Deleted);
        expect(await repo.upsertFromProvider(only)).toBe('untouched');
        expect((await repo.get(sandbox.sandboxId))?.status).toBe(SandboxStatus.Deleted);
        expect(await codeOf(repo.allocate(request('s2')))).toBe('NO_SANDBOXES_AVAILABLE');
        // The same student after release: the old allocation is spent, never handed back.
        expect(await codeOf(repo.allocate(request('s1')))).toBe('NO_SANDBOXES_AVAILABLE');
        await seed(repo, pool('lab-', 1));
        const next = await repo.allocate(request('s1'));
        expect(next.created).toBe(true);
        expect(next.sandbox.sandboxId).not.toBe(sandbox.sandboxId);
      });
    });

    describe('upsertFromProvider', () => {
      it('inserts, refreshes available rows, revives stale rows and leaves allocated rows alone', async () => {
        const original = aProviderSandbox({ name: 'lab-x-0001', sfdcAccountId: null });
        expect(await repo.upsertFromProvider(original)).toBe('inserted');
        const renamed = { ...original, name: 'lab-y-0001', sfdcAccountId: '001SAND1' };
        clock.advanceSeconds(10);
        expect(await repo.upsertFromProvider(renamed)).toBe('refreshed');
        const refreshed = await repo.get(original.sandboxId);
        expect(refreshed).toMatchObject({
          name: 'lab-y-0001',
          sfdcAccountId: '001SAND1',
          status: SandboxStatus.Available,
          lastSyncedAt: Math.floor(clock.nowMs() / 1000),
        });
        // The candidate (status) index follows the new name.
        expect(await codeOf(repo.allocate(request('s0', { namePrefix: 'lab-x-' })))).toBe(
          'NO_SANDBOXES_AVAILABLE',
        );

        await h.forceStatus(original.sandboxId, SandboxStatus.Stale);
        expect(await repo.upsertFromProvider(renamed)).toBe('revived');
        expect((await repo.get(original.sandboxId))?.status).toBe(SandboxStatus.Available);

        const { sandbox } = await repo.allocate(request('s1', { namePrefix: 'lab-y-' }));
        expect(sandbox.sandboxId).toBe(original.sandboxId);
        expect(await repo.upsertFromProvider({ ...renamed, name: 'lab-z-0001' })).toBe('untouched');
        expect(await repo.get(original.sandboxId)).toEqual(sandbox);
      });
    });

    describe('list and counts', () => {
      it('walks every page exactly once, for every filter, and rejects foreign cursors', async () => {
        await seed(repo, [...pool('lab-a-', 23), ...pool('lab-b-', 11), ...pool('other-', 5)]);
        for (let i = 0; i < 7; i += 1)
          await repo.allocate(request(`s${i}`, { namePrefix: 'lab-a-' }));
        const rows = await h.allRows();
        const expectIds = (filter: (r: Sandbox) => boolean) =>
          rows
            .filter(filter)
            .map((r) => r.sandboxId)
            .sort();

        const walk = async (
          status: SandboxStatus,
          namePrefix: string | undefined,
          limit: number,
        ) => {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages < 200; pages += 1) {
            const page = await repo.list({ status, namePrefix, limit, cursor });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            for (const item of page.items) {
              expect(item.status).toBe(status);
              seen.push(item.sandboxId);
            }
            if (!page.cursor) return seen.sort();
            cursor = page.cursor;
          }
          throw new Error('listing did not end');
        };

        expect(await walk(SandboxStatus.Available, undefined, 5)).toEqual(
          expectIds((r) => r.status === SandboxStatus.Available),
        );
        expect(await walk(SandboxStatus.Available, 'lab-a-', 1)).toEqual(
          expectIds((r) => r.status === SandboxStatus.Available && r.name.startsWith('lab-a-')),
        );
        expect(await walk(SandboxStatus.Available, 'lab-b-', 100)).toHaveLength(11);
        expect(await walk(SandboxStatus.Allocated, 'lab-a-', 3)).toEqual(
          expectIds((r) => r.status === SandboxStatus.Allocated),
        );
        expect(await walk(SandboxStatus.Deleted, undefined, 10)).toEqual([]);

        const first = await repo.list({ status: SandboxStatus.Available, limit: 2 });
        expect(first.cursor).not.toBeNull();
        const cursor = first.cursor ?? '';
        expect(await codeOf(repo.list({ status: SandboxStatus.Allocated, limit: 2, cursor }))).toBe(
          'INVALID_CURSOR',
        );
        expect(
          await codeOf(
            repo.list({ status: SandboxStatus.Available, namePrefix: 'lab-', limit: 2, cursor }),
          ),
        ).toBe('INVALID_CURSOR');
        for (const bad of ['not a cursor', 'e30', cursor.slice(0, -3), `${cursor}x`]) {
          expect(
            await codeOf(repo.list({ status: SandboxStatus.Available, limit: 2, cursor: bad })),
          ).toBe('INVALID_CURSOR');
        }
      });

      it('counts every status exactly', async () => {
        await seed(repo, pool('lab-', 40));
        const allocated: string[] = [];
        for (let i = 0; i < 9; i += 1) {
          allocated.push((await repo.allocate(request(`s${i}`))).sandbox.sandboxId);
        }
        for (let i = 0; i < 4; i += 1) await repo.release(allocated[i] ?? '', `s${i}`);
        const counts = await repo.countByStatus();
        expect(counts).toEqual({
          available: 31,
          allocated: 5,
          pending_deletion: 4,
          deleting: 0,
          deleted: 0,
          stale: 0,
          deletion_failed: 0,
          quarantined: 0,
          reserved: 0,
        });
      });
    });

    describe('claims after a crash', () => {
      const crashed = (sandboxId: string, token = 'dead-writer-token') => ({
        studentId: 'crash-student',
        idempotencyKey: 'crash-key',
        sandboxId,
        token,
        createdAt: clock.nowMs() - 60_000,
        deadlineMs: clock.nowMs() - 55_000,
        supersededSandboxIds: [],
      });

      it('ordinary allocations leave nothing for the repair job (no index entry, no confirm write)', async () => {
        await seed(repo, pool('lab-', 3));
        await repo.allocate({ studentId: 'first', idempotencyKey: 'first' });
        await repo.allocate({ studentId: 'second', idempotencyKey: 'second' });
        await repo.allocate({ studentId: 'first', idempotencyKey: 'first' });
        clock.advanceSeconds(3_600);
        expect(await repo.listOpenClaims(clock.nowMs(), 100)).toEqual([]);
      });

      it("a first allocation's dead writer is not listed; the takeover of its claim is", async () => {
        await seed(repo, pool('lab-', 3));
        const [candidate] = await h.allRows();
        await h.plantClaim(crashed(candidate?.sandboxId ?? ''), false);
        expect(await repo.listOpenClaims(clock.nowMs(), 100)).toEqual([]);
        const live = await repo.allocate({
          studentId: 'crash-student',
          idempotencyKey: 'crash-key',
        });
        expect(live.created).toBe(true);
        clock.advanceSeconds(60);
        const open = await repo.listOpenClaims(clock.nowMs(), 100);
        expect(open).toHaveLength(1);
        expect(open[0]).toMatchObject({
          studentId: 'crash-student',
          sandboxId: live.sandbox.sandboxId,
        });
        expect(open[0]?.supersededSandboxIds).toEqual([candidate?.sandboxId]);
        expect(await repo.repairClaim(open[0] ?? crashed(''))).toBe('confirmed');
        expect(await repo.listOpenClaims(clock.nowMs(), 100)).toEqual([]);
      });

      it('repair removes a claim whose writer died before taking a sandbox', async () => {
        await seed(repo, pool('lab-', 2));
        const [candidate] = await h.allRows();
        await h.plantClaim(crashed(candidate?.sandboxId ?? ''));
        const open = await repo.listOpenClaims(clock.nowMs(), 100);
        const mine = open.find((c) => c.studentId === 'crash-student');
        expect(mine).toMatchObject({ token: 'dead-writer-token', idempotencyKey: 'crash-key' });
        expect(await repo.repairClaim(mine ?? crashed(''))).toBe('abandoned');
        expect(await h.readClaim('crash-student', 'crash-key')).toBeNull();
        expect((await repo.get(candidate?.sandboxId ?? ''))?.status).toBe(SandboxStatus.Available);
        expect(await repo.listOpenClaims(clock.nowMs(), 100)).toEqual([]);
      });

      it('the next request takes over an abandoned claim and allocates (created)', async () => {
        await seed(repo, pool('lab-', 2));
        const [candidate] = await h.allRows();
        await h.plantClaim(crashed(candidate?.sandboxId ?? ''));
        const result = await repo.allocate({
          studentId: 'crash-student',
          idempotencyKey: 'crash-key',
        });
        expect(result.created).toBe(true);
        expect(result.sandbox.ownerId).toBe('crash-student');
        const claim = await h.readClaim('crash-student', 'crash-key');
        expect(claim?.token).not.toBe('dead-writer-token');
        expect(claim?.sandboxId).toBe(result.sandbox.sandboxId);
        const again = await repo.allocate({
          studentId: 'crash-student',
          idempotencyKey: 'crash-key',
        });
        expect(again).toEqual({ sandbox: result.sandbox, created: false });
      });

      it('a writer that took its sandbox but never answered: the retry returns it, repair confirms', async () => {
        await seed(repo, pool('lab-', 2));
        const [candidate] = await h.allRows();
        const id = candidate?.sandboxId ?? '';
        const claim = crashed(id);
        await h.plantClaim(claim);
        await h.plantLateAllocation(id, claim);
        const retry = await repo.allocate({
          studentId: 'crash-student',
          idempotencyKey: 'crash-key',
        });
        expect(retry.created).toBe(false);
        expect(retry.sandbox.sandboxId).toBe(id);
        expect(await repo.repairClaim(claim)).toBe('confirmed');
        const open = await repo.listOpenClaims(clock.nowMs() + 3_600_000, 100);
        expect(open.filter((c) => c.studentId === 'crash-student')).toEqual([]);
        expect(await h.readClaim('crash-student', 'crash-key')).toMatchObject({
          token: claim.token,
        });
      });

      it('repair releases the candidate of a presumed-dead writer that wakes up after a takeover', async () => {
        await seed(repo, pool('lab-', 3));
        const [orphanRow] = await h.allRows();
        const orphanId = orphanRow?.sandboxId ?? '';
        const dead = crashed(orphanId);
        await h.plantClaim(dead);
        // Make the takeover pick another sandbox: the dead writer's candidate is busy meanwhile.
        await h.forceStatus(orphanId, SandboxStatus.Quarantined);
        const live = await repo.allocate({
          studentId: 'crash-student',
          idempotencyKey: 'crash-key',
        });
        expect(live.created).toBe(true);
        await h.forceStatus(orphanId, SandboxStatus.Available);
        // The dead writer wakes up and still writes its candidate.
        await h.plantLateAllocation(orphanId, dead);
        const held = (await h.allRows()).filter(
          (r) => r.ownerId === 'crash-student' && r.status === SandboxStatus.Allocated,
        );
        expect(held).toHaveLength(2);

        clock.advanceSeconds(60);
        const open = await repo.listOpenClaims(clock.nowMs(), 100);
        const claim = open.find((c) => c.studentId === 'crash-student');
        expect(claim?.supersededSandboxIds).toContain(orphanId);
        expect(await repo.repairClaim(claim ?? dead)).toBe('confirmed');
        expect((await repo.get(orphanId))?.status).toBe(SandboxStatus.PendingDeletion);
        expect((await repo.get(live.sandbox.sandboxId))?.status).toBe(SandboxStatus.Allocated);
        const repeat = await repo.allocate({
          studentId: 'crash-student',
          idempotencyKey: 'crash-key',
        });
        expect(repeat).toEqual({ sandbox: live.sandbox, created: false });
      });

      it('repair skips a claim whose writer is still within its window or that changed', async () => {
        await seed(repo, pool('lab-', 2));
        const [candidate] = await h.allRows();
        const live = { ...crashed(candidate?.sandboxId ?? ''), deadlineMs: clock.nowMs() + 5_000 };
        await h.plantClaim(live);
        expect(await repo.repairClaim(live)).toBe('skipped');
        expect(await repo.repairClaim({ ...live, token: 'someone-else' })).toBe('skipped');
        expect(await h.readClaim('crash-student', 'crash-key')).toMatchObject({
          token: live.token,
        });
      });
    });

    it('pings the store', async () => {
      await expect(repo.ping()).resolves.toBeUndefined();
    });
  });
}

interface Outcome {
  readonly student: string;
  readonly prefix: string;
  readonly result?: AllocationResult;
  readonly code?: string;
}

/**
 * The concurrency proof: ≥500 concurrent allocations by ≥400 students over 300 sandboxes in three
 * prefixes, through two repository instances (two candidate pools) on one store.
 */
export function describeConcurrencyProof(engine: string, factory: HarnessFactory): void {
  describe(`SandboxRepository concurrency proof: ${engine}`, () => {
    it('never gives a sandbox twice or a student two, and 409s only for an empty prefix', async () => {
      const h = await factory({ clock: systemClock, lease: LEASE });
      try {
        const perPrefix = 100;
        const prefixes = ['cc-a-', 'cc-b-', 'cc-c-'] as const;
        await seed(
          h.repo,
          prefixes.flatMap((p) => pool(p, perPrefix)),
        );

        // Demand: A oversubscribed by its own students; B and C undersubscribed; some no-prefix
        // students, fewer than B and C's spare, so only A can run dry.
        const groups: Array<{ prefix: string; students: number }> = [
          { prefix: 'cc-a-', students: 250 },
          { prefix: 'cc-b-', students: 60 },
          { prefix: 'cc-c-', students: 60 },
          { prefix: '', students: 40 },
        ];
        const calls: Array<{ student: string; prefix: string }> = [];
        let n = 0;
        for (const group of groups) {
          for (let i = 0; i < group.students; i += 1) {
            n += 1;
            const student = `student-${group.prefix || 'any-'}${i}`;
            const copies = n % 7 === 0 ? 3 + (n % 3) : 1;
            for (let c = 0; c < copies; c += 1) calls.push({ student, prefix: group.prefix });
          }
        }
        for (let i = calls.length - 1; i > 0; i -= 1) {
          const j = Math.floor(Math.random() * (i + 1));
          [calls[i], calls[j]] = [calls[j] as (typeof calls)[0], calls[i] as (typeof calls)[0]];
        }
        const students = new Set(calls.map((c) => c.student));
        expect(students.size).toBeGreaterThanOrEqual(400);
        expect(calls.length).toBeGreaterThanOrEqual(500);

        const outcomes: Outcome[] = await Promise.all(
          calls.map(async ({ student, prefix }, i): Promise<Outcome> => {
            const target = i % 2 === 0 ? h.repo : h.secondRepo;
            try {
              const result = await target.allocate({
                studentId: student,
                idempotencyKey: student,
                ...(prefix ? { namePrefix: prefix } : {}),
              });
              return { student, prefix, result };
            } catch (error) {
              return { student, prefix, code: isDomainError(error) ? error.code : String(error) };
            }
          }),
        );

        // Every repeat returns that student's sandbox; exactly one answer per student is "created".
        const byStudent = new Map<string, Outcome[]>();
        for (const o of outcomes)
          byStudent.set(o.student, [...(byStudent.get(o.student) ?? []), o]);
        const holder = new Map<string, string>();
        const studentSandbox = new Map<string, Sandbox>();
        for (const [student, list] of byStudent) {
          const successes = list.filter((o) => o.result).map((o) => o.result as AllocationResult);
          if (successes.length === 0) continue;
          expect(new Set(successes.map((r) => r.sandbox.sandboxId)).size).toBe(1);
          expect(successes.filter((r) => r.created)).toHaveLength(1);
          const sandbox = (successes[0] as AllocationResult).sandbox;
          expect(sandbox.name.startsWith(list[0]?.prefix ?? '')).toBe(true);
          // No sandbox held by two students (as answered).
          expect(holder.get(sandbox.sandboxId) ?? student).toBe(student);
          holder.set(sandbox.sandboxId, student);
          studentSandbox.set(student, sandbox);
        }

        // Ground truth from the store: owners match the answers, one sandbox per student.
        const rows = await h.allRows();
        const allocatedRows = rows.filter((r) => r.status === SandboxStatus.Allocated);
        expect(allocatedRows).toHaveLength(studentSandbox.size);
        const owners = new Set<string>();
        for (const row of allocatedRows) {
          expect(row.ownerId).toBeDefined();
          expect(owners.has(row.ownerId ?? '')).toBe(false);
          owners.add(row.ownerId ?? '');
          expect(holder.get(row.sandboxId)).toBe(row.ownerId);
        }

        // 409 only when the prefix was truly empty (sandboxes only left `available` in this test).
        const availableWith = (prefix: string) =>
          rows.filter((r) => r.status === SandboxStatus.Available && r.name.startsWith(prefix))
            .length;
        for (const o of outcomes.filter((x) => x.code)) expect(availableWith(o.prefix)).toBe(0);

        const succeeded = (prefix: string) =>
          [...studentSandbox.keys()].filter((s) => byStudent.get(s)?.[0]?.prefix === prefix);
        expect(succeeded('cc-b-')).toHaveLength(60);
        expect(succeeded('cc-c-')).toHaveLength(60);
        expect(succeeded('')).toHaveLength(40);
        const anyOnA = succeeded('').filter((s) => studentSandbox.get(s)?.name.startsWith('cc-a-'));
        expect(succeeded('cc-a-').length + anyOnA.length).toBe(perPrefix);
        expect(availableWith('cc-a-')).toBe(0);

        // Contention never surfaces as an error.
        const unexpected = outcomes.filter((o) => o.code && o.code !== 'NO_SANDBOXES_AVAILABLE');
        expect(unexpected).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });
}
