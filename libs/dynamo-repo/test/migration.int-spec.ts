import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type LeasePolicy, SandboxStatus } from '@broker/domain';
import { FixedClock } from '@broker/domain/testing';
import { DynamoSandboxRepository, migrateOriginalTable } from '../src';
import {
  createOriginalLayoutTable,
  createTestTable,
  type RunningEngine,
  startDynalite,
} from '../src/testing';

const LEASE: LeasePolicy = { leaseSeconds: 48 * 3600, graceSeconds: 1800 };
const T0 = 1_790_000_000; // allocation time in the original (epoch s)
const uuid = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;

/** One row of every kind the original's table holds (reference §2.3–2.5), plus unmappable ones. */
function originalRows(): Record<string, unknown>[] {
  const sbx = (id: string, extra: Record<string, unknown>) => ({
    PK: `SBX#${id}`,
    SK: 'META',
    sandbox_id: id,
    name: `lab-adventure-${id}`,
    external_id: `identity/accounts/${uuid(Number(id) % 10)}`,
    lab_duration_hours: 4,
    deletion_retry_count: 0,
    allocated_at: 0,
    created_at: T0 - 86_400,
    updated_at: T0,
    last_synced: T0,
    sfdc_account_id: `001SAND${id}`,
    ...extra,
  });
  return [
    sbx('1001', { status: 'available' }),
    sbx('1002', {
      status: 'allocated',
      allocated_to_track: 'student-ann',
      allocated_at: T0,
      idempotency_key: 'student-ann',
      track_name: 'dns-lab',
    }),
    sbx('1003', {
      status: 'pending_deletion',
      allocated_to_track: 'student-bob',
      allocated_at: T0 - 3600,
      idempotency_key: 'student-bob',
      deletion_requested_at: T0,
    }),
    sbx('1004', { status: 'stale', updated_at: T0 - 600 }),
    sbx('1005', {
      status: 'deletion_failed',
      allocated_to_track: 'student-cy',
      allocated_at: T0 - 7200,
      deletion_requested_at: T0 - 3600,
      deletion_retry_count: 1,
    }),
    sbx('1006', { status: 'deleted', deleted_at: T0 }),
    {
      PK: 'NIOSXAAS#1007',
      SK: 'CLEANUP',
      sandbox_id: '1007',
      sandbox_name: 'lab-adventure-1007',
      external_id: `identity/accounts/${uuid(7)}`,
      track_name: 'N/A',
      allocated_to_track: 'student-dee',
      niosxaas_cleaned_at: T0,
      niosxaas_cleanup_skipped: false,
      niosxaas_cleanup_failed_reason: '',
      deleted_at: T0,
      ttl: T0 + 30 * 86_400,
    },
    sbx('1008', { status: 'allocated', allocated_at: T0 }), // no owner: cannot be mapped
    sbx('1009', { status: 'reserved' }), // unknown status
    { PK: 'CONFIG#x', SK: 'META', foo: 'bar' }, // unknown row kind
  ];
}

describe('migration from the original table (dynalite)', () => {
  let engine: RunningEngine;
  let client: DynamoDBDocumentClient;
  let target: string;
  let source: string;
  const clock = new FixedClock(Date.UTC(2026, 8, 20, 12, 0, 0));

  beforeAll(async () => {
    engine = await startDynalite();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  beforeEach(async () => {
    const table = await createTestTable(engine.endpoint);
    client = table.client;
    target = table.tableName;
    source = `original-${target}`;
    await createOriginalLayoutTable(client, source, originalRows());
  });
  afterEach(() => client.destroy());

  const run = (extra: { dryRun?: boolean; maxRows?: number } = {}) =>
    migrateOriginalTable({
      client,
      sourceTable: source,
      targetTable: target,
      clock,
      lease: LEASE,
      pageSize: 3,
      ...extra,
    });
  const targetItems = async () =>
    ((await client.send(new ScanCommand({ TableName: target }))).Items ?? []).sort((a, b) =>
      String(a['PK']).localeCompare(String(b['PK'])),
    );
  const repo = () =>
    new DynamoSandboxRepository({ client, tableName: target, clock, lease: LEASE });

  it('maps every kind of row, keeps owners and clocks, and reports what it cannot map', async () => {
    const report = await run();
    expect(report).toMatchObject({
      complete: true,
      scanned: 10,
      actions: { inserted: 7, replaced: 0, unchanged: 0, conflict: 0 },
      byStatus: {
        available: 1,
        allocated: 1,
        pending_deletion: 1,
        stale: 1,
        deletion_failed: 1,
        deleted: 2,
      },
      claims: { inserted: 1, unchanged: 0 },
    });
    expect(report.unmapped.map((u) => u.source).sort()).toEqual([
      'CONFIG#x|META',
      'SBX#1008|META',
      'SBX#1009|META',
    ]);
    const r = repo();
    expect(await r.get('1002')).toMatchObject({
      status: SandboxStatus.Allocated,
      ownerId: 'student-ann',
      trackName: 'dns-lab',
      allocatedAt: T0,
      expiresAt: T0 + 4 * 3600,
      sfdcAccountId: '001SAND1002',
    });
    expect(await r.get('1003')).toMatchObject({
      status: SandboxStatus.PendingDeletion,
      ownerId: 'student-bob',
      deletionRequestedAt: T0,
    });
    expect(await r.get('1004')).toMatchObject({ status: 'stale', staleSince: T0 - 600 });
    expect(await r.get('1005')).toMatchObject({ status: 'deletion_failed', deletionAttempts: 1 });
    expect(await r.get('1006')).toMatchObject({ status: 'deleted', deletedAt: T0 });
    expect(await r.get('1007')).toMatchObject({
      status: 'deleted',
      ownerId: 'student-dee',
      name: 'lab-adventure-1007',
    });
    // Index attributes as the repository's own: listings, owner index, account-id lookup.
    const available = await r.list({ status: SandboxStatus.Available, limit: 10 });
    expect(available.items.map((s) => s.sandboxId)).toEqual(['1001']);
    expect((await r.countByStatus()).allocated).toBe(1);
    expect((await r.findByExternalId(uuid(2)))?.sandboxId).toBe('1002');
    // The student's repeat allocation returns the migrated sandbox (the claim was migrated too).
    const repeat = await r.allocate({ studentId: 'student-ann', idempotencyKey: 'student-ann' });
    expect(repeat).toMatchObject({ created: false, sandbox: { sandboxId: '1002' } });
    // The owner releases it as usual; another student cannot.
    await expect(r.release('1002', 'student-bob')).rejects.toMatchObject({
      code: 'NOT_SANDBOX_OWNER',
    });
    expect((await r.release('1002', 'student-ann')).changed).toBe(true);
  });

  it('changes nothing on a second run', async () => {
    await run();
    const before = await targetItems();
    const again = await run();
    expect(again.actions).toEqual({ inserted: 0, replaced: 0, unchanged: 7, conflict: 0 });
    expect(again.claims).toEqual({ inserted: 0, unchanged: 1 });
    expect(await targetItems()).toEqual(before);
  });

  it('completes an interrupted run without duplicates', async () => {
    const first = await run({ maxRows: 4 });
    expect(first.complete).toBe(false);
    const resumed = await run();
    expect(resumed.complete).toBe(true);
    expect(resumed.actions.inserted + first.actions.inserted).toBe(7);
    const items = await targetItems();
    expect(items.filter((i) => String(i['PK']).startsWith('SBX#'))).toHaveLength(7);
    expect(items.filter((i) => String(i['PK']).startsWith('CLAIM#'))).toHaveLength(1);
    expect(await targetItems()).toHaveLength(8);
  });

  it('writes nothing on a dry run, but reports what it would do', async () => {
    const report = await run({ dryRun: true });
    expect(report).toMatchObject({ dryRun: true, actions: { inserted: 7 } });
    expect(report.unmapped).toHaveLength(3);
    expect(await targetItems()).toEqual([]);
  });

  it('replaces a row the new sync wrote as available, and reports one it must not overwrite', async () => {
    const r = repo();
    for (const id of ['1002', '1006']) {
      await r.upsertFromProvider({
        sandboxId: id,
        name: `lab-adventure-${id}`,
        externalId: `identity/accounts/${uuid(Number(id) % 10)}`,
        createdAt: T0,
        sfdcAccountId: null,
      });
    }
    const report = await run();
    expect(report.actions).toMatchObject({ inserted: 5, replaced: 1, conflict: 1 });
    expect(report.conflicts.map((c) => c.source)).toEqual(['SBX#1006|META']);
    expect(await r.get('1002')).toMatchObject({ status: 'allocated', ownerId: 'student-ann' });
    expect((await r.get('1006'))?.status).toBe('available');
  });
});
