import {
  type Clock,
  isFinalJobRunStatus,
  type JobRunRecord,
  type JobRunRepository,
  type JobRunRequest,
  type JobRunStatus,
} from '@broker/domain';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure, ownEarlierWrite } from '../client/conditional';
import { padNumber } from '../keys/item-keys';
import { INDEXES, TTL_ATTRIBUTE } from '../schema/table-schema';

export const JOB_RUN_SK = 'JOBRUN';
export const JOB_REQUEST_SK = 'JOBREQ';

export function jobRunPk(runId: string): string {
  return `JOBRUN#${runId}`;
}

/** The per-job request slot: which run request is pending (or claimed) for `job`. */
export function jobRequestPk(job: string): string {
  return `JOBREQ#${job}`;
}

/** TypeIndex partition of a job's run records (recent runs, newest first). */
export function jobRunTypePk(job: string): string {
  return `JOBRUN#${job}`;
}

/** Run records are for operators reading an outcome back; DynamoDB's TTL removes them later. */
const RUN_RETENTION_SECONDS = 7 * 24 * 3600;

/** The statuses a record may be in for a save of `status` to apply (it only moves forward). */
function savableOver(status: JobRunStatus): JobRunStatus[] {
  return status === 'pending' ? ['pending'] : ['pending', 'running'];
}

export interface DynamoJobRunRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

/**
 * Run records as items `JOBRUN#<runId>` / `JOBRUN`, and one request slot per job as
 * `JOBREQ#<job>` / `JOBREQ` (`run_id`, `blocks_until_ms`). Every write is a single-item
 * conditional write: a put of a record is conditional on its current status (forward only); a
 * request takes the job's slot only when absent or lapsed; a claim moves `pending → running` only
 * before the pickup deadline, so two workers never both get it.
 */
export class DynamoJobRunRepository implements JobRunRepository {
  constructor(private readonly options: DynamoJobRunRepositoryOptions) {}

  async save(record: JobRunRecord): Promise<void> {
    const allowed = savableOver(record.status);
    const values = Object.fromEntries(allowed.map((s, i) => [`:s${i}`, s]));
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: this.toItem(record),
          ConditionExpression: `attribute_not_exists(PK) OR run_status IN (${Object.keys(values).join(', ')})`,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // Already further along (finished): the outcome stays as first written — unless what
      // refused the retry is this very save, applied with its answer lost.
      const ours = await ownEarlierWrite(
        error,
        () => this.get(record.runId),
        (current) => current.status === record.status && current.owner === record.owner,
      );
      if (!ours) return;
    }
    if (isFinalJobRunStatus(record.status)) await this.releaseSlot(record.job, record.runId);
  }

  async get(runId: string): Promise<JobRunRecord | null> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { PK: jobRunPk(runId), SK: JOB_RUN_SK },
        ConsistentRead: true,
      }),
    );
    return Item ? toRecord(Item) : null;
  }

  async request(request: JobRunRequest): Promise<boolean> {
    const now = this.options.clock.nowMs();
    try {
      // The slot first: it is what makes "one pending request per job" hold.
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            PK: jobRequestPk(request.job),
            SK: JOB_REQUEST_SK,
            job: request.job,
            run_id: request.runId,
            blocks_until_ms: request.pickupDeadlineMs,
            [TTL_ATTRIBUTE]: this.ttl(),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR blocks_until_ms < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
    } catch (error) {
      const ours = await ownEarlierWrite(
        error,
        () => this.slot(request.job),
        (slot) => slot['run_id'] === request.runId,
      );
      if (!ours) return false;
    }
    const record = this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: this.toItem({
          runId: request.runId,
          job: request.job,
          status: 'pending',
          owner: '',
          triggeredBy: request.triggeredBy,
          startedAtMs: request.requestedAtMs,
          requestedAtMs: request.requestedAtMs,
          pickupDeadlineMs: request.pickupDeadlineMs,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    // Keyed by our run id: a retry refused by an existing record met our own write.
    await record.catch(async (error: unknown) => {
      if (
        !(await ownEarlierWrite(
          error,
          () => this.get(request.runId),
          () => true,
        ))
      )
        throw error;
    });
    return true;
  }

  private async slot(job: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { PK: jobRequestPk(job), SK: JOB_REQUEST_SK },
        ConsistentRead: true,
      }),
    );
    return Item ?? null;
  }

  async pending(job: string): Promise<JobRunRecord | null> {
    const slot = await this.slot(job);
    if (!slot) return null;
    const record = await this.get(String(slot['run_id']));
    return record?.status === 'pending' ? record : null;
  }

  async claim(runId: string, owner: string, holdMs: number): Promise<JobRunRecord | null> {
    const now = this.options.clock.nowMs();
    let claimed: JobRunRecord;
    try {
      const { Attributes } = await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { PK: jobRunPk(runId), SK: JOB_RUN_SK },
          UpdateExpression: 'SET run_status = :running, #owner = :owner, started_at_ms = :now',
          ConditionExpression: 'run_status = :pending AND pickup_deadline_ms >= :now',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':pending': 'pending',
            ':owner': owner,
            ':now': now,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      claimed = toRecord(Attributes ?? {});
    } catch (error) {
      const ours = await ownEarlierWrite(
        error,
        () => this.get(runId),
        (record) => record.status === 'running' && record.owner === owner,
      );
      if (!ours) return null;
      claimed = ours;
    }
    // The slot keeps refusing requests until the outcome is saved (or the hold lapses).
    await this.options.client
      .send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { PK: jobRequestPk(claimed.job), SK: JOB_REQUEST_SK },
          UpdateExpression: 'SET blocks_until_ms = :until',
          ConditionExpression: 'run_id = :id',
          ExpressionAttributeValues: { ':until': now + holdMs, ':id': runId },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionalFailure(error)) throw error;
      });
    return claimed;
  }

  async expire(runId: string): Promise<boolean> {
    const now = this.options.clock.nowMs();
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { PK: jobRunPk(runId), SK: JOB_RUN_SK },
          UpdateExpression: 'SET run_status = :expired, finished_at_ms = :now',
          ConditionExpression: 'run_status = :pending AND pickup_deadline_ms < :now',
          ExpressionAttributeValues: { ':expired': 'expired', ':pending': 'pending', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      const ours = await ownEarlierWrite(
        error,
        () => this.get(runId),
        (record) => record.status === 'expired' && record.finishedAtMs === now,
      );
      return ours !== null;
    }
  }

  async recent(job: string, limit: number): Promise<JobRunRecord[]> {
    const { Items } = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        IndexName: INDEXES.type.name,
        KeyConditionExpression: `${INDEXES.type.partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': jobRunTypePk(job) },
        ScanIndexForward: false,
        Limit: Math.max(1, Math.min(50, Math.floor(limit))),
      }),
    );
    return (Items ?? []).map(toRecord);
  }

  /** Frees the job's slot if it still names this run (a newer request's slot is left alone). */
  private async releaseSlot(job: string, runId: string): Promise<void> {
    try {
      await this.options.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: { PK: jobRequestPk(job), SK: JOB_REQUEST_SK },
          ConditionExpression: 'run_id = :id',
          ExpressionAttributeValues: { ':id': runId },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }

  private ttl(): number {
    return Math.floor(this.options.clock.nowMs() / 1000) + RUN_RETENTION_SECONDS;
  }

  private toItem(record: JobRunRecord): Record<string, unknown> {
    return {
      PK: jobRunPk(record.runId),
      SK: JOB_RUN_SK,
      run_id: record.runId,
      job: record.job,
      run_status: record.status,
      owner: record.owner,
      triggered_by: record.triggeredBy,
      started_at_ms: record.startedAtMs,
      requested_at_ms: record.requestedAtMs,
      pickup_deadline_ms: record.pickupDeadlineMs,
      finished_at_ms: record.finishedAtMs,
      duration_ms: record.durationMs,
      result: record.result,
      error: record.error,
      // Recent runs of a job, newest first; the claim's started_at_ms update leaves this key
      // at the request time until the outcome is saved (the order of runs is the same).
      [INDEXES.type.partitionKey]: jobRunTypePk(record.job),
      [INDEXES.type.sortKey]: `${padNumber(record.startedAtMs, 13)}#${record.runId}`,
      [TTL_ATTRIBUTE]: this.ttl(),
    };
  }
}

function toRecord(item: Record<string, unknown>): JobRunRecord {
  const num = (key: string) => (typeof item[key] === 'number' ? item[key] : undefined);
  const optional = (field: string, key: string) => {
    const value = num(key);
    return value === undefined ? {} : { [field]: value };
  };
  return {
    runId: String(item['run_id']),
    job: String(item['job']),
    status: item['run_status'] as JobRunStatus,
    owner: typeof item['owner'] === 'string' ? item['owner'] : '',
    triggeredBy: String(item['triggered_by']),
    startedAtMs: Number(item['started_at_ms']),
    ...optional('requestedAtMs', 'requested_at_ms'),
    ...optional('pickupDeadlineMs', 'pickup_deadline_ms'),
    ...optional('finishedAtMs', 'finished_at_ms'),
    ...optional('durationMs', 'duration_ms'),
    ...(item['result'] && typeof item['result'] === 'object'
      ? { result: item['result'] as Record<string, unknown> }
      : {}),
    ...(typeof item['error'] === 'string' ? { error: item['error'] } : {}),
  };
}
