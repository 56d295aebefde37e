import { systemClock } from '@broker/domain';
import { createDynamoStore } from '@broker/dynamo-repo';
import {
  createOriginalLayoutTable,
  createTestTable,
  startDynalite,
} from '@broker/dynamo-repo/testing';
import { runMigrate } from '../src/migrate';

/**
 * The migrate command itself (issue #15 §4), as `node dist/migrate.js` runs it, on dynalite: a
 * source table in the original's layout → this broker's table; a re-run changes nothing; the
 * backfill mode then finds nothing left to index.
 */
describe('migrate command (dynalite)', () => {
  let engine: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    engine = await startDynalite();
  });
  afterAll(() => engine.stop());

  it('migrates, is idempotent, and its backfill mode finds nothing left', async () => {
    const { client, tableName } = await createTestTable(engine.endpoint);
    const source = `original-${Date.now().toString(36)}`;
    const row = (id: string, uuid: string, extra: Record<string, unknown>) => ({
      PK: `SBX#${id}`,
      SK: 'META',
      sandbox_id: id,
      name: `lab-old-${id}`,
      external_id: `identity/accounts/${uuid}`,
      lab_duration_hours: 4,
      deletion_retry_count: 0,
      created_at: 1_790_000_000,
      updated_at: 1_790_000_000,
      sfdc_account_id: null,
      ...extra,
    });
    const now = Math.floor(Date.now() / 1000);
    await createOriginalLayoutTable(client, source, [
      row('9001', '00000001-aaaa-4bbb-8ccc-000000000001', { status: 'available', allocated_at: 0 }),
      row('9002', '00000002-aaaa-4bbb-8ccc-000000000002', {
        status: 'allocated',
        allocated_to_track: 'student-old',
        idempotency_key: 'student-old',
        allocated_at: now - 600,
        track_name: 'dns-lab',
      }),
    ]);
    const env = { DDB_ENDPOINT_URL: engine.endpoint, AWS_REGION: 'us-east-1' };
    const lines: string[] = [];
    const args = ['--from-table', source, '--to-table', tableName];
    expect(await runMigrate(args, env, (line) => lines.push(line))).toBe(0);
    expect(await runMigrate(args, env, (line) => lines.push(line))).toBe(0);
    const backfill = ['--backfill-external-index', '--to-table', tableName];
    const out: string[] = [];
    expect(await runMigrate(backfill, env, (line) => out.push(line))).toBe(0);
    expect(JSON.parse(out[out.length - 1]!)).toEqual({ missing: 0, written: 0, unmappable: [] });

    const store = createDynamoStore(
      {
        tableName,
        region: 'us-east-1',
        endpoint: engine.endpoint,
        lease: { leaseSeconds: 4 * 3600, graceSeconds: 1800 },
      },
      { clock: systemClock },
    );
    try {
      expect(await store.sandboxes.get('9002')).toMatchObject({
        status: 'allocated',
        ownerId: 'student-old',
        trackName: 'dns-lab',
      });
      expect(
        await store.sandboxes.findByExternalId('00000002-aaaa-4bbb-8ccc-000000000002'),
      ).toMatchObject({ sandboxId: '9002' });
      expect(await store.sandboxes.get('9001')).toMatchObject({ status: 'available' });
    } finally {
      await store.dispose();
      client.destroy();
    }
    await expect(runMigrate(['--to-table', tableName], env, () => undefined)).rejects.toThrow(
      /usage/,
    );
  });
});
