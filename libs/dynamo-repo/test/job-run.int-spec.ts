import type { JobRunRecord, JobRunRepository } from '@broker/domain';
import { FixedClock, InMemoryJobRunRepository } from '@broker/domain/testing';
import { DynamoJobRunRepository } from '../src';
import { createTestTable, startDynalite } from '../src/testing';

type Engine = { endpoint: string; stop(): Promise<void> };
let engine: Engine | undefined;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  engine = await startDynalite();
});
afterAll(async () => {
  clients.forEach((client) => client.destroy());
  await engine?.stop();
});

const running: JobRunRecord = {
  runId: '0b7f6b8e-2f64-4e55-9d4e-0f1f0a0b0c0d',
  job: 'cleanup',
  status: 'running',
  owner: 'api-1:0b7f6b8e',
  triggeredBy: 'ops',
  startedAtMs: Date.UTC(2026, 10, 22, 12, 0, 0),
};

function jobRunContract(name: string, create: () => Promise<JobRunRepository>): void {
  describe(`JobRunRepository (${name})`, () => {
    it('reads back what was saved, and null for an unknown run', async () => {
      const runs = await create();
      await runs.save(running);
      expect(await runs.get(running.runId)).toEqual(running);
      expect(await runs.get('00000000-0000-4000-8000-000000000000')).toBeNull();
    });

    it('moves running → outcome, and never lets a late write overwrite the outcome', async () => {
      const runs = await create();
      await runs.save(running);
      const done: JobRunRecord = {
        ...running,
        status: 'succeeded',
        finishedAtMs: running.startedAtMs + 1500,
        durationMs: 1500,
        result: { deleted: 3, attempts: { deleted: 3, quarantined: 0 } },
      };
      await runs.save(done);
      await runs.save(running);
      await runs.save({ ...done, status: 'failed', error: 'late' });
      expect(await runs.get(running.runId)).toEqual(done);
    });
  });
}

jobRunContract('in-memory', () => Promise.resolve(new InMemoryJobRunRepository()));
jobRunContract('dynalite', async () => {
  const { client, tableName } = await createTestTable(engine!.endpoint);
  clients.push(client);
  return new DynamoJobRunRepository({ client, tableName, clock: new FixedClock() });
});
