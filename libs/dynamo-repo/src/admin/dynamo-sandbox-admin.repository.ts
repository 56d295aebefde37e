import {
  ALL_SANDBOX_STATUSES,
  type AdminListQuery,
  InvalidCursorError,
  namePrefixOf,
  OPERATOR_QUARANTINE_SOURCES,
  type Page,
  type PoolStats,
  type Sandbox,
  type SandboxAdminRepository,
  SandboxStatus,
  type SandboxReadRepository,
  type Clock,
} from '@broker/domain';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { lowLevelClientOf } from '../client/document-client';
import { nameOfSortKey, statusPk } from '../keys/item-keys';
import { toSandbox } from '../mapping/sandbox-item';
import { readSyncDiscrepancies } from '../lifecycle/sync-discrepancies-item';
import { forEachStatusPartition } from '../pool/dynamo-sandbox-reads';
import { type StatusChange, TransitionWriter } from '../transitions/transition-writer';
import { INDEXES, KEY_ATTRIBUTES } from '../schema/table-schema';
import { decodeAdminCursor, encodeAdminCursor } from './admin-cursor';

export interface DynamoSandboxAdminRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  /** The store's one writer (a new one over `client` when absent). */
  readonly writer?: TransitionWriter;
  /** The pool repository on the same table: status listings are its `list`. */
  readonly pool: Pick<SandboxReadRepository, 'list'>;
}

type IndexName = 'owner' | 'track';

/**
 * Operator reads and writes on DynamoDB: index queries only (status, owner, track), and single-item
 * conditional writes through the TransitionWriter as the `operator` actor (status_pk moves with the
 * status, so a row leaving `available` stops being an allocation candidate).
 */
export class DynamoSandboxAdminRepository implements SandboxAdminRepository {
  private readonly writer: TransitionWriter;

  constructor(private readonly options: DynamoSandboxAdminRepositoryOptions) {
    this.writer =
      options.writer ??
      new TransitionWriter(lowLevelClientOf(options.client), options.tableName, options.clock);
  }

  async list(query: AdminListQuery): Promise<Page<Sandbox>> {
    if (query.owner !== undefined) return this.listByIndex('owner', query.owner, query);
    if (query.track !== undefined) return this.listByIndex('track', query.track, query);
    return this.listByStatus(query);
  }

  async stats(): Promise<PoolStats> {
    const byStatus = Object.fromEntries(ALL_SANDBOX_STATUSES.map((s) => [s, 0])) as Record<
      SandboxStatus,
      number
    >;
    const byPrefix: Record<string, Partial<Record<SandboxStatus, number>>> = {};
    const [providerDiscrepancies] = await Promise.all([
      readSyncDiscrepancies(this.options.client, this.options.tableName),
      forEachStatusPartition(async (status, shard) => {
        for await (const name of this.namesIn(status, shard)) {
          byStatus[status] += 1;
          const counts = (byPrefix[namePrefixOf(name)] ??= {});
          counts[status] = (counts[status] ?? 0) + 1;
        }
      }),
    ]);
    const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    return { byStatus, byPrefix, total, providerDiscrepancies };
  }

  async forceRelease(sandboxId: string): Promise<Sandbox | null> {
    return this.change(sandboxId, [SandboxStatus.Allocated], SandboxStatus.PendingDeletion, {
      set: 'deletion_requested_at = :now',
    });
  }

  async retryDeletion(sandboxId: string): Promise<Sandbox | null> {
    return this.change(
      sandboxId,
      [SandboxStatus.DeletionFailed, SandboxStatus.Quarantined],
      SandboxStatus.PendingDeletion,
      {
        set: 'deletion_attempts = :zero',
        remove: ['next_attempt_at', 'last_error', 'quarantine_reason'],
        values: { ':zero': 0 },
      },
    );
  }

  async quarantine(sandboxId: string, reason: string): Promise<Sandbox | null> {
    return this.change(sandboxId, OPERATOR_QUARANTINE_SOURCES, SandboxStatus.Quarantined, {
      set: 'quarantine_reason = :reason',
      remove: ['next_attempt_at'],
      values: { ':reason': reason },
    });
  }

  async sendToDeletion(sandboxId: string, from: SandboxStatus): Promise<boolean> {
    const done = await this.change(sandboxId, [from], SandboxStatus.PendingDeletion, {
      set: 'deletion_requested_at = if_not_exists(deletion_requested_at, :now)',
      remove: ['next_attempt_at'],
    });
    return done !== null;
  }

  async tombstone(sandboxId: string, from: SandboxStatus): Promise<boolean> {
    const done = await this.change(sandboxId, [from], SandboxStatus.Deleted, {
      set: 'deleted_at = :now',
      remove: ['next_attempt_at', 'deletion_owner', 'deletion_claimed_at'],
    });
    return done !== null;
  }

  private async change(
    sandboxId: string,
    from: readonly SandboxStatus[],
    to: SandboxStatus,
    extra: Pick<StatusChange, 'set' | 'remove' | 'values'>,
  ): Promise<Sandbox | null> {
    const attributes = await this.writer.apply({
      sandboxId,
      to,
      by: 'operator',
      from,
      ...extra,
      returnValues: 'ALL_NEW',
    });
    return attributes ? toSandbox(attributes) : null;
  }

  /** Walks one status (or every status in a fixed order) through the pool's sharded listing. */
  private async listByStatus(query: AdminListQuery): Promise<Page<Sandbox>> {
    const statuses = query.status ? [query.status] : ALL_SANDBOX_STATUSES;
    const filter = `status|${query.status ?? '*'}|${query.namePrefix ?? ''}`;
    const start =
      query.cursor === undefined
        ? { step: 0, inner: null }
        : decodeAdminCursor(query.cursor, filter, statuses.length - 1);
    if (start.inner !== null && typeof start.inner !== 'string') throw new InvalidCursorError();
    const items: Sandbox[] = [];
    let step = start.step;
    let inner: string | null = start.inner;
    while (step < statuses.length) {
      const status = statuses[step]!;
      const page = await this.options.pool.list({
        status,
        namePrefix: query.namePrefix,
        limit: query.limit - items.length,
        ...(inner !== null ? { cursor: inner } : {}),
      });
      items.push(...page.items);
      inner = page.cursor;
      if (inner === null) step += 1;
      if (items.length >= query.limit) break;
    }
    const more = step < statuses.length;
    return { items, cursor: more ? encodeAdminCursor(filter, { step, inner }) : null };
  }

  /** One index partition (a student's or a track's sandboxes), other filters applied to it. */
  private async listByIndex(
    index: IndexName,
    value: string,
    query: AdminListQuery,
  ): Promise<Page<Sandbox>> {
    const { partitionKey, sortKey, name } = INDEXES[index];
    const filter = `${index}|${value}|${query.status ?? '*'}|${query.namePrefix ?? ''}|${
      index === 'owner' ? (query.track ?? '') : ''
    }`;
    const start =
      query.cursor === undefined ? null : decodeAdminCursor(query.cursor, filter, 0).inner;
    const keyNames = [KEY_ATTRIBUTES.partition, KEY_ATTRIBUTES.sort, partitionKey, sortKey];
    if (
      start !== null &&
      (typeof start === 'string' ||
        Object.keys(start).length !== keyNames.length ||
        !keyNames.every((k) => k in start) ||
        start[partitionKey] !== value)
    ) {
      throw new InvalidCursorError();
    }
    const conditions: string[] = [];
    const values: Record<string, unknown> = { ':v': value };
    const names: Record<string, string> = {};
    if (query.status) {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.namePrefix) {
      conditions.push('begins_with(#name, :prefix)');
      names['#name'] = 'name';
      values[':prefix'] = query.namePrefix;
    }
    if (index === 'owner' && query.track !== undefined) {
      conditions.push('track_name = :track');
      values[':track'] = query.track;
    }
    const items: Sandbox[] = [];
    let lastKey: Record<string, unknown> | undefined = start ?? undefined;
    // Filters may empty a page; keep reading (bounded) until something or the end.
    for (let reads = 0; reads < 10; reads++) {
      const page: QueryCommandOutput = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: name,
          KeyConditionExpression: `${partitionKey} = :v`,
          ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: query.limit - items.length,
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []).map((raw) => toSandbox(raw)));
      lastKey = page.LastEvaluatedKey;
      if (!lastKey || items.length >= query.limit || items.length > 0) break;
    }
    return {
      items,
      cursor: lastKey
        ? encodeAdminCursor(filter, { step: 0, inner: lastKey as Record<string, string> })
        : null,
    };
  }

  /** The names of one status partition, read page by page (sort keys only). */
  private async *namesIn(status: SandboxStatus, shard: string): AsyncGenerator<string> {
    let lastKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: INDEXES.status.name,
          KeyConditionExpression: 'status_pk = :pk',
          ExpressionAttributeValues: { ':pk': statusPk(status, shard) },
          ProjectionExpression: INDEXES.status.sortKey,
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        yield nameOfSortKey(String(item[INDEXES.status.sortKey]));
      }
      lastKey = page.LastEvaluatedKey;
    } while (lastKey);
  }
}
