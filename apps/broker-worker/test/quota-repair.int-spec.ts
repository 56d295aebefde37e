import { aProviderPool, FixedClock } from '@broker/domain/testing';
import {
  cspClient,
  dynamoStorage,
  testConfig,
  workerJobs,
  useBackends,
} from './testing/worker-harness';

const backends = useBackends({ poolSize: 1 });

describe("the worker's quota-repair job (dynalite)", () => {
  it('runs under its lease and resets a drifted counter to the allocated count', async () => {
    const clock = new FixedClock(Date.now());
    const storage = await dynamoStorage(backends.engine.endpoint, clock);
    try {
      const config = testConfig(backends.sim, { QUOTA_REPAIR_SETTLE_SEC: '0' });
      expect(config.intervalsMs['quota-repair']).toBe(60_000);
      const jobs = workerJobs({ config, storage, provider: cspClient(backends.sim), clock });
      for (const account of aProviderPool(4, 'w-')) {
        await storage.sandboxes.upsertFromProvider(account);
      }
      await storage.quotas.put('lab', 3, 0);
      await storage.sandboxes.allocate({ studentId: 's', idempotencyKey: 's', trackName: 'lab' });
      // A crash between the counter write and the sandbox write, twice.
      await storage.quotas.acquire('lab');
      await storage.quotas.acquire('lab');
      const report = await jobs.runOnce('quota-repair');
      expect(report).toMatchObject({
        outcome: 'success',
        result: { checked: 1, lowered: 1, raised: 0, failed: 0 },
      });
      expect((await storage.quotas.get('lab'))?.held).toBe(1);
      const again = await jobs.runOnce('quota-repair');
      expect(again).toMatchObject({ result: { checked: 1, lowered: 0, raised: 0 } });
    } finally {
      await storage.dispose();
    }
  });
});
