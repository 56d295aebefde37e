import {
  type Clock,
  type EpochSeconds,
  InvalidTransitionError,
  nowSeconds,
  SandboxStatus,
  sourcesOf,
  type TransitionActor,
} from '@broker/domain';
import {
  type DynamoDBClient,
  GetItemCommand,
  type ReturnValue,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { fromAttributeMap, toAttributeMap } from '../client/attribute-map';
import { ownEarlierWrite } from '../client/conditional';
import { SANDBOX_SK, sandboxPk, statusPkOf } from '../keys/item-keys';

/** One status change of one sandbox row. */
export interface StatusChange {
  readonly sandboxId: string;
  readonly to: SandboxStatus;
  /** Who changes it: the sources are `sourcesOf(to, by)` from the domain's TRANSITIONS table. */
  readonly by: TransitionActor;
  /** Fewer sources than the table allows; a status the table does not allow is refused. */
  readonly from?: readonly SandboxStatus[];
  /** Also match a row already in `to` (sync refreshing an available row in place). */
  readonly orUnchanged?: boolean;
  /** Condition ANDed with the status condition, over `names` and `values`. */
  readonly condition?: string;
  /** More `SET` clauses; `:now` (epoch seconds) is always defined. */
  readonly set?: string;
  readonly remove?: readonly string[];
  readonly names?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, unknown>>;
  /** The instant written as `:now` (defaults to the clock). */
  readonly now?: EpochSeconds;
  readonly returnValues?: Extract<ReturnValue, 'ALL_NEW' | 'UPDATED_OLD' | 'NONE'>;
}

/**
 * The one writer of sandbox status changes: a single conditional UpdateItem whose status
 * condition comes from the domain's TRANSITIONS table (`sourcesOf`), so the table is enforced by
 * the real store. `status_pk` moves with the status (the StatusIndex lists the row under its new
 * state; leaving `available` takes it out of allocation), and `version` counts every change.
 * Sent as a low-level command on the hot-path client (middleware resolved once per type).
 */
export class TransitionWriter {
  private leftAllocated: ((track: string) => Promise<void>) | null = null;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  /**
   * Called after every successful write that moved a row with a track out of `allocated`
   * (student release, expiry, force release, quarantine, orphan repair): the track's quota
   * unit goes back (`store.quotas.release`). Its errors are swallowed: the write is done, and a
   * unit not given back is corrected by the quota-repair job.
   */
  onLeftAllocated(listener: (track: string) => Promise<void>): void {
    this.leftAllocated = listener;
  }

  /**
   * The row's attributes after (`ALL_NEW`), before (`UPDATED_OLD`) or `{}`; null when the
   * row was not in a source state or the extra condition failed (nothing changed). Throws
   * InvalidTransitionError before writing when `from` names a source the table does not allow.
   */
  async apply(change: StatusChange): Promise<Record<string, unknown> | null> {
    const sources = this.sourcesFor(change);
    const requested = change.returnValues ?? 'NONE';
    // A write that may leave `allocated` reads the new row to learn the old status and track
    // (`status_before`, `track_name`). UPDATED_OLD (sync, never from allocated) is not watched.
    const watched =
      this.leftAllocated !== null &&
      requested !== 'UPDATED_OLD' &&
      change.to !== SandboxStatus.Allocated &&
      sources.includes(SandboxStatus.Allocated);
    const returnValues = watched ? 'ALL_NEW' : requested;
    const row = await this.send(change, sources, returnValues);
    if (watched && row) await this.notifyLeftAllocated(row);
    return row && requested === 'NONE' ? {} : row;
  }

  private async notifyLeftAllocated(row: Record<string, unknown>): Promise<void> {
    const track = row['track_name'];
    if (row['status_before'] !== SandboxStatus.Allocated || typeof track !== 'string' || !track) {
      return;
    }
    try {
      await this.leftAllocated?.(track);
    } catch {
      // Drift, not failure: the quota-repair job recounts the track's counter.
    }
  }

  private async send(
    change: StatusChange,
    sources: readonly SandboxStatus[],
    returnValues: NonNullable<StatusChange['returnValues']>,
  ): Promise<Record<string, unknown> | null> {
    const statusValues: Record<string, unknown> = {};
    sources.forEach((status, i) => (statusValues[`:from${i}`] = status));
    const statusCondition =
      sources.length === 1
        ? '#status = :from0'
        : `#status IN (${Object.keys(statusValues).join(', ')})`;
    // `write_id` marks this write so a retry refused by our own applied attempt is recognised;
    // `status_before` keeps the status it replaced (the right-hand side reads the old item).
    const writeId = randomUUID();
    const sets = [
      '#status = :to',
      'status_pk = :spk',
      'updated_at = :now',
      'version = version + :one',
      'write_id = :wid',
      'status_before = #status',
      ...(change.set ? [change.set] : []),
    ];
    // Leaving `reserved` always leaves the reservation's earmarked list (its TypeIndex entry).
    const removed = new Set(change.remove ?? []);
    if (change.to !== SandboxStatus.Reserved && sources.includes(SandboxStatus.Reserved)) {
      removed.add('type_pk').add('type_sk');
      // Allocated rows keep it (which reservation the student's sandbox came from).
      if (change.to !== SandboxStatus.Allocated) removed.add('reservation_id');
    }
    const remove = removed.size ? ` REMOVE ${[...removed].join(', ')}` : '';
    const sent = this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toAttributeMap({ PK: sandboxPk(change.sandboxId), SK: SANDBOX_SK }),
        UpdateExpression: `SET ${sets.join(', ')}${remove}`,
        ConditionExpression: change.condition
          ? `${statusCondition} AND (${change.condition})`
          : statusCondition,
        ExpressionAttributeNames: { '#status': 'status', ...change.names },
        ExpressionAttributeValues: toAttributeMap({
          ...change.values,
          ...statusValues,
          ':to': change.to,
          ':spk': statusPkOf(change.to, change.sandboxId),
          ':now': change.now ?? nowSeconds(this.clock),
          ':one': 1,
          ':wid': writeId,
        }),
        ReturnValues: returnValues,
      }),
    );
    try {
      const output = await sent;
      return returnValues === 'NONE' ? {} : (fromAttributeMap(output.Attributes) ?? {});
    } catch (error) {
      const ours = await ownEarlierWrite(
        error,
        () => this.readRow(change.sandboxId),
        (item) => item['write_id'] === writeId,
      );
      if (ours === null) return null;
      if (returnValues === 'NONE') return {};
      // The old values are gone; the status we replaced is kept on the row.
      return returnValues === 'ALL_NEW' ? ours : { status: ours['status_before'] };
    }
  }

  private async readRow(sandboxId: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toAttributeMap({ PK: sandboxPk(sandboxId), SK: SANDBOX_SK }),
        ConsistentRead: true,
      }),
    );
    return fromAttributeMap(Item) ?? null;
  }

  private sourcesFor(change: StatusChange): readonly SandboxStatus[] {
    const allowed = sourcesOf(change.to, change.by);
    const sources = change.from ?? allowed;
    const refused = sources.find((status) => !allowed.includes(status));
    if (refused !== undefined || sources.length === 0) {
      throw new InvalidTransitionError(change.sandboxId, refused ?? change.to, change.to);
    }
    return change.orUnchanged ? [...sources, change.to] : sources;
  }
}
