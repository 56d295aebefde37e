import { CLAIM_POLICY, SandboxStatus } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
import { newClaimItem } from '@broker/dynamo-repo';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  cspClient,
  dynamoStorage,
  LEASE,
  testConfig,
  uuidOf,
  workerJobs,
  useBackends,
} from './testing/worker-harness';

const backends = useBackends({ poolSize: 12 });
beforeEach(() => backends.sim.reset());
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()));
});

async function setup(env: Record<string, string> = {}) {
  const clock = new FixedClock(Date.now());
  const storage = await dynamoStorage(backends.engine.endpoint, clock);
  const provider = cspClient(backends.sim);
  const jobs = workerJobs({ config: testConfig(backends.sim, env), storage, provider, clock });
  cleanups.push(() => storage.dispose());
  return { clock, storage, provider, jobs, pool: storage.sandboxes, events: storage.events };
}

describe('worker jobs on dynalite + the CSP simulator', () => {
  it('sync → allocate → release → cleanup → tombstone; a re-listed account is never re-pooled', async () => {
    const { jobs, pool, clock, events } = await setup({
      NIOSXAAS_ENABLED: 'true',
      NIOSXAAS_EMAIL: backends.sim.config.niosEmail,
      NIOSXAAS_PASSWORD: backends.sim.config.niosPassword,
    });
    const sync = await jobs.runOnce('sync');
    expect(sync).toMatchObject({ outcome: 'success', result: { listed: 12, inserted: 12 } });

    // The SFDC id flows from the provider to the allocated sandbox (sim: every third account).
    const withSfdc = backends.sim.store
      .list()
      .find((a) => a.account_type === 'sandbox' && a.sfdc_account_id !== '');
    if (!withSfdc) throw new Error('simulator seeded no SFDC id');
    const { sandbox } = await pool.allocate({
      studentId: 'stu-1',
      idempotencyKey: 'stu-1',
      namePrefix: withSfdc.name,
    });
    expect(sandbox).toMatchObject({
      name: withSfdc.name,
      sfdcAccountId: withSfdc.sfdc_account_id,
      externalId: withSfdc.id,
    });

    await pool.release(sandbox.sandboxId, 'stu-1');
    const cleanup = await jobs.runOnce('cleanup');
    expect(cleanup).toMatchObject({
      outcome: 'success',
      result: { attempts: { deleted: 1 }, preDelete: { done: 1, failed: 0 } },
    });
    expect(await pool.get(sandbox.sandboxId)).toMatchObject({
      status: SandboxStatus.Deleted,
      ownerId: 'stu-1',
    });
    // The jobs' transitions are in the event log (the allocation is the API's to record).
    const trail = await events.list({ sandboxId: sandbox.sandboxId, limit: 10 });
    // (the fixed clock gives both the same millisecond, so their order is not asserted)
    const actions = trail.items.map((e) => [e.action, e.from ?? null, e.to, e.actor.id]);
    expect(actions).toHaveLength(2);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['delete', 'deleting', 'deleted', 'cleanup'],
        ['insert', null, 'available', 'sync'],
      ]),
    );
    expect(backends.sim.store.get(uuidOf(withSfdc.id))).toBeUndefined();
    expect(backends.sim.stats.snapshot().deletesByAccount).toEqual({ [uuidOf(withSfdc.id)]: 1 });

    // The provider lists the account again (e.g. its delete was silently lost): never re-pooled.
    backends.sim.store.add([{ id: withSfdc.id, csp_id: withSfdc.csp_id, name: withSfdc.name }]);
    clock.advanceSeconds(60);
    const again = await jobs.runOnce('sync');
    expect(again).toMatchObject({ result: { untouched: 1, inserted: 0 } });
    expect((await pool.get(sandbox.sandboxId))?.status).toBe(SandboxStatus.Deleted);
    await expect(
      pool.allocate({ studentId: 'stu-2', idempotencyKey: 'stu-2', namePrefix: withSfdc.name }),
    ).rejects.toMatchObject({ code: 'NO_SANDBOXES_AVAILABLE' });
  });

  it("never loses an owner to sync (the original's sync race)", async () => {
    const { jobs, pool, clock } = await setup();
    await jobs.runOnce('sync');
    const syncs = (async () => {
      for (let i = 0; i < 6; i += 1) {
        clock.advanceSeconds(1);
        expect((await jobs.runOnce('sync')).outcome).toBe('success');
      }
    })();
    const allocations = Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pool.allocate({ studentId: `race-${i}`, idempotencyKey: `race-${i}` }),
      ),
    );
    const [, results] = await Promise.all([syncs, allocations]);
    await jobs.runOnce('sync');
    for (const [i, { sandbox }] of results.entries()) {
      expect(await pool.get(sandbox.sandboxId)).toMatchObject({
        status: SandboxStatus.Allocated,
        ownerId: `race-${i}`,
      });
    }
    expect(new Set(results.map((r) => r.sandbox.sandboxId)).size).toBe(10);
    expect((await pool.countByStatus()).available).toBe(2);
  });

  it('expires allocations past expires_at + grace (injected clock)', async () => {
    const { jobs, pool, clock } = await setup();
    await jobs.runOnce('sync');
    const { sandbox } = await pool.allocate({ studentId: 'exp', idempotencyKey: 'exp' });
    clock.advanceSeconds(LEASE.leaseSeconds + LEASE.graceSeconds - 1);
    expect(await jobs.runOnce('expiry')).toMatchObject({ result: { checked: 1, expired: 0 } });
    clock.advanceSeconds(1);
    expect(await jobs.runOnce('expiry')).toMatchObject({ result: { checked: 1, expired: 1 } });
    expect(await pool.get(sandbox.sandboxId)).toMatchObject({
      status: SandboxStatus.PendingDeletion,
      ownerId: 'exp',
    });
  });

  it('repairs a listed claim left by a crash between the claim write and the sandbox update', async () => {
    const { jobs, pool, clock, storage } = await setup();
    await jobs.runOnce('sync');
    const nowMs = clock.nowMs();
    const victim = (await pool.list({ status: SandboxStatus.Available, limit: 1 })).items[0];
    if (!victim) throw new Error('no sandbox');
    // What a writer that took over a claim and died right after leaves behind (listed for repair).
    await storage.client.send(
      new PutCommand({
        TableName: storage.tableName,
        Item: newClaimItem({
          studentId: 'crashed',
          idempotencyKey: 'crashed',
          sandboxId: victim.sandboxId,
          token: 'token-of-the-dead',
          nowMs,
          deadlineMs: nowMs + CLAIM_POLICY.writerWindowMs,
          ttl: Math.floor(nowMs / 1000) + 86_400,
          listed: true,
        }),
      }),
    );
    // Its writer may still be alive: left alone.
    expect(await jobs.runOnce('claim-repair')).toMatchObject({ result: { abandoned: 0 } });
    clock.advanceSeconds((CLAIM_POLICY.writerWindowMs + CLAIM_POLICY.takeoverMarginMs) / 1000 + 1);
    expect(await jobs.runOnce('claim-repair')).toMatchObject({ result: { abandoned: 1 } });
    expect(await pool.listOpenClaims(clock.nowMs(), 10)).toEqual([]);
    // The sandbox the dead writer targeted is still available; the student starts clean.
    expect((await pool.get(victim.sandboxId))?.status).toBe(SandboxStatus.Available);
    const fresh = await pool.allocate({ studentId: 'crashed', idempotencyKey: 'crashed' });
    expect(fresh.created).toBe(true);
  });
});
