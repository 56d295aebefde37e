import { type Clock, type LeasePolicy, nowSeconds, SandboxStatus } from '@broker/domain';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure } from '../client/conditional';
import { SANDBOX_SK } from '../keys/item-keys';
import { type MappedRow, mapOriginalRow, type MigratedItem } from './original-row';

export interface MigrateOriginalOptions {
  readonly client: DynamoDBDocumentClient;
  /** The original's table (read with Scan: an offline admin tool, not a request path). */
  readonly sourceTable: string;
  /** This broker's table. */
  readonly targetTable: string;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  /** Report what would be written; write nothing. */
  readonly dryRun?: boolean;
  /** Stop after this many source rows (the run is then `complete: false`; run again to resume). */
  readonly maxRows?: number;
  readonly pageSize?: number;
  /** One line per row written or refused (the CLI prints them). */
  readonly log?: (line: string) => void;
}

/**
 * - `inserted`: the row did not exist and was written;
 * - `replaced`: an available/stale row the new broker's sync had written was replaced by the
 *   original's later state (conditional on its version and status);
 * - `unchanged`: already migrated (a re-run or a resumed run), or the same available sandbox;
 * - `conflict`: the target row is in a state the migration must not overwrite (reported).
 */
export type MigrationAction = 'inserted' | 'replaced' | 'unchanged' | 'conflict';

export interface MigrationReport {
  readonly dryRun: boolean;
  /** False when `maxRows` stopped the run early. */
  readonly complete: boolean;
  readonly scanned: number;
  readonly actions: Record<MigrationAction, number>;
  /** Sandbox rows per target status (history rows count as `deleted`). */
  readonly byStatus: Record<string, number>;
  readonly claims: { readonly inserted: number; readonly unchanged: number };
  readonly unmapped: readonly { readonly source: string; readonly reason: string }[];
  readonly conflicts: readonly { readonly source: string; readonly reason: string }[];
}

/**
 * Copies a table in the original broker's layout into this broker's (reference §2 → README
 * Schema): each row becomes an item shaped exactly like the repository's own (index attributes
 * included), written with `attribute_not_exists(PK)` (or, over a sync-written available/stale
 * row, a version + status condition), so a re-run changes nothing and an interrupted run is
 * completed by running it again. History rows (`NIOSXAAS#`) become tombstones after all sandbox
 * rows, and only where no sandbox row exists.
 */
export async function migrateOriginalTable(
  options: MigrateOriginalOptions,
): Promise<MigrationReport> {
  const { client, sourceTable, targetTable, clock, lease } = options;
  const dryRun = options.dryRun === true;
  const log = options.log ?? (() => undefined);
  const actions: Record<MigrationAction, number> = {
    inserted: 0,
    replaced: 0,
    unchanged: 0,
    conflict: 0,
  };
  const byStatus: Record<string, number> = {};
  const claims = { inserted: 0, unchanged: 0 };
  const unmapped: { source: string; reason: string }[] = [];
  const conflicts: { source: string; reason: string }[] = [];
  const history: MappedRow[] = [];
  let scanned = 0;
  let complete = true;

  const write = async (row: Exclude<MappedRow, { kind: 'unmapped' }>) => {
    const outcome = await writeSandbox(client, targetTable, row.item, dryRun);
    actions[outcome.action] += 1;
    if (outcome.action === 'conflict') {
      conflicts.push({ source: row.source, reason: outcome.reason });
      log(`conflict  ${row.source}: ${outcome.reason}`);
      return;
    }
    byStatus[row.item.status] = (byStatus[row.item.status] ?? 0) + 1;
    if (outcome.action !== 'unchanged') {
      log(`${dryRun ? 'would ' : ''}${outcome.action} ${row.source} → ${row.item.status}`);
    }
    if (row.claim) {
      const put = await putIfAbsent(client, targetTable, row.claim, dryRun);
      claims[put ? 'inserted' : 'unchanged'] += 1;
    }
  };

  let startKey: Record<string, unknown> | undefined;
  scan: do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: sourceTable,
        ConsistentRead: true,
        Limit: options.pageSize ?? 100,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const raw of page.Items ?? []) {
      if (options.maxRows !== undefined && scanned >= options.maxRows) {
        complete = false;
        break scan;
      }
      scanned += 1;
      const mapped = mapOriginalRow(raw, nowSeconds(clock), lease);
      if (mapped.kind === 'unmapped') {
        unmapped.push({ source: mapped.source, reason: mapped.reason });
        log(`unmapped  ${mapped.source}: ${mapped.reason}`);
      } else if (mapped.kind === 'history') {
        history.push(mapped);
      } else {
        await write(mapped);
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  for (const row of history) if (row.kind !== 'unmapped') await write(row);

  return { dryRun, complete, scanned, actions, byStatus, claims, unmapped, conflicts };
}

async function writeSandbox(
  client: DynamoDBDocumentClient,
  table: string,
  item: MigratedItem,
  dryRun: boolean,
): Promise<{ action: MigrationAction; reason: string }> {
  const existing = await readItem(client, table, item.PK);
  if (existing === null) {
    if (dryRun) return { action: 'inserted', reason: '' };
    if (await putIfAbsent(client, table, item, false)) return { action: 'inserted', reason: '' };
    return writeSandbox(client, table, item, dryRun); // written meanwhile: classify it
  }
  if (existing['migrated_at'] !== undefined) return { action: 'unchanged', reason: '' };
  const current = existing['status'];
  if (current === SandboxStatus.Available && item.status === SandboxStatus.Available) {
    return { action: 'unchanged', reason: '' };
  }
  // Only a row the new broker's sync wrote and nobody has used yet gives way; a tombstone never
  // replaces a row the provider lists now.
  const replaceable =
    (current === SandboxStatus.Available || current === SandboxStatus.Stale) &&
    item.status !== SandboxStatus.Deleted;
  if (!replaceable) {
    return {
      action: 'conflict',
      reason: `target row is ${String(current)}, the original says ${item.status}`,
    };
  }
  if (dryRun) return { action: 'replaced', reason: '' };
  const version = typeof existing['version'] === 'number' ? existing['version'] : 0;
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: { ...item, version: version + 1 },
        ConditionExpression: 'version = :v AND #status = :s',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':v': version, ':s': current },
      }),
    );
    return { action: 'replaced', reason: '' };
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    return { action: 'conflict', reason: 'target row changed while being replaced' };
  }
}

async function readItem(
  client: DynamoDBDocumentClient,
  table: string,
  pk: string,
): Promise<Record<string, unknown> | null> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { PK: pk, SK: SANDBOX_SK }, ConsistentRead: true }),
  );
  return Item ?? null;
}

/** True when written; false when an item with that key exists. */
async function putIfAbsent(
  client: DynamoDBDocumentClient,
  table: string,
  item: object,
  dryRun: boolean,
): Promise<boolean> {
  if (dryRun) return true;
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: item as Record<string, unknown>,
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}
