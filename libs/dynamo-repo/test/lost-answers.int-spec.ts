import { type SandboxStore, SandboxStatus } from '@broker/domain';
import { aProviderPool, FixedClock } from '@broker/domain/testing';
import { createDocumentClient, createDynamoStore, DynamoSandboxEventLog } from '../src';
import {
  createTestTable,
  firstAttemptOf,
  type LossyProxy,
  type RunningEngine,
  startDynalite,
  stallEverything,
  startLossyProxy,
} from '../src/testing';
import { setTimeout as sleep } from 'node:timers/promises';

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem'];

/**
 * Issue #12 §3: every conditional write is sent through a proxy that loses the answer to its first
 * sending (the engine applies it, the SDK retries, the retry's condition meets our own write).
 * Each write must still report its own success, so callers record events and counts once.
 */
describe('writes whose answer was lost (dynalite behind a lossy proxy)', () => {
  let engine: RunningEngine;
  let proxy: LossyProxy;
  let store: SandboxStore;
  let clock: FixedClock;

  beforeAll(async () => {
    engine = await startDynalite();
  });
  afterAll(() => engine.stop());

  beforeEach(async () => {
    const { client, tableName } = await createTestTable(engine.endpoint);
    client.destroy();
    proxy = await startLossyProxy(engine.endpoint);
    clock = new FixedClock();
    store = createDynamoStore(
      {
        tableName,
        region: 'us-east-1',
        endpoint: proxy.endpoint,
        lease: { leaseSeconds: 3600, graceSeconds: 600 },
      },
      { clock },
    );
  });
  afterEach(async () => {
    await store.dispose();
    await proxy.close();
  });

  it('sync insert, allocation, release and the deletion writes each report their own success', async () => {
    const [account] = aProviderPool(1, 'lost-');
    proxy.setRule(firstAttemptOf(WRITES));
    expect(await store.sandboxes.upsertFromProvider(account!)).toBe('inserted');
    const allocated = await store.sandboxes.allocate({ studentId: 'st-1', idempotencyKey: 'st-1' });
    expect(allocated).toMatchObject({ created: true, sandbox: { ownerId: 'st-1' } });
    const released = await store.sandboxes.release(account!.sandboxId, 'st-1');
    expect(released).toMatchObject({ changed: true, sandbox: { status: 'pending_deletion' } });
    const claim = await store.lifecycle.claimDeletion(account!.sandboxId, 'cleanup:run-1');
    expect(claim).not.toBeNull();
    expect(await store.lifecycle.completeDeletion(claim!)).toBe(true);
    expect(await store.sandboxes.get(account!.sandboxId)).toMatchObject({
      status: SandboxStatus.Deleted,
    });
    // Every write above lost its first answer.
    expect(proxy.dropped).toBeGreaterThanOrEqual(6);
  });

  it('a refusal is still a refusal: another student cannot release, a held lease is not ours', async () => {
    const [account] = aProviderPool(1, 'lost-refusal-');
    await store.sandboxes.upsertFromProvider(account!);
    await store.sandboxes.allocate({ studentId: 'owner', idempotencyKey: 'owner' });
    const held = await store.leases.acquire('cleanup', 'other-worker', 60_000);
    expect(held).not.toBeNull();
    proxy.setRule(firstAttemptOf(WRITES));
    await expect(store.sandboxes.release(account!.sandboxId, 'intruder')).rejects.toMatchObject({
      code: 'NOT_SANDBOX_OWNER',
    });
    expect(await store.leases.acquire('cleanup', 'me', 60_000)).toBeNull();
    expect(await store.lifecycle.expire(account!.sandboxId, 0)).toBe(false);
  });

  it('job leases, run requests, claims and outcomes survive lost answers', async () => {
    proxy.setRule(firstAttemptOf(WRITES));
    const lease = await store.leases.acquire('sync', 'worker-a:run-1', 60_000);
    expect(lease).toMatchObject({ owner: 'worker-a:run-1' });
    expect(await store.leases.holder('sync')).toMatchObject({ owner: 'worker-a:run-1' });
    const now = clock.nowMs();
    const requested = await store.runs.request({
      runId: '00000000-0000-4000-8000-000000000001',
      job: 'sync',
      triggeredBy: 'ops',
      requestedAtMs: now,
      pickupDeadlineMs: now + 30_000,
    });
    expect(requested).toBe(true);
    const claimed = await store.runs.claim('00000000-0000-4000-8000-000000000001', 'w:1', 60_000);
    expect(claimed).toMatchObject({ status: 'running', owner: 'w:1' });
    await store.runs.save({ ...claimed!, status: 'succeeded', finishedAtMs: now, durationMs: 0 });
    // The outcome freed the job's request slot: the next request is accepted.
    expect(await store.runs.pending('sync')).toBeNull();
    expect(
      await store.runs.request({
        runId: '00000000-0000-4000-8000-000000000002',
        job: 'sync',
        triggeredBy: 'ops',
        requestedAtMs: now,
        pickupDeadlineMs: now + 30_000,
      }),
    ).toBe(true);
  });
});

describe('event log through a store outage (dynalite behind a stalling proxy)', () => {
  it('keeps the events of a failed round and writes them once the store answers', async () => {
    const engine = await startDynalite();
    const proxy = await startLossyProxy(engine.endpoint, stallEverything);
    const { client: directClient, tableName } = await createTestTable(engine.endpoint);
    const client = createDocumentClient({
      region: 'us-east-1',
      endpoint: proxy.endpoint,
      requestTimeoutMs: 100,
      maxAttempts: 1,
      callBudgetMs: 300,
    });
    const failures: number[] = [];
    const log = new DynamoSandboxEventLog({
      client,
      tableName,
      clock: new FixedClock(),
      flushIntervalMs: 20,
      onWriteError: (_error, events) => failures.push(events),
    });
    try {
      for (const sandboxId of ['ev-1', 'ev-2', 'ev-3']) {
        log.record({
          type: 'transition',
          sandboxId,
          to: SandboxStatus.Deleted,
          actor: { kind: 'job', id: 'cleanup' },
          action: 'delete',
        });
      }
      for (let i = 0; i < 100 && failures.length === 0; i += 1) await sleep(20);
      expect(failures.length).toBeGreaterThan(0);
      proxy.setRule(() => false);
      await log.flush();
      const reader = new DynamoSandboxEventLog({
        client: directClient,
        tableName,
        clock: new FixedClock(),
      });
      for (const sandboxId of ['ev-1', 'ev-2', 'ev-3']) {
        const { items } = await reader.list({ sandboxId, limit: 5 });
        expect({ sandboxId, written: items.length }).toEqual({ sandboxId, written: 1 });
      }
      expect(log.counters).toMatchObject({ failed: 0, dropped: 0, written: 3 });
    } finally {
      client.destroy();
      directClient.destroy();
      await proxy.close();
      await engine.stop();
    }
  });
});
