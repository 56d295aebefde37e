import type { Clock, JobRunRecord, JobRunRepository, JobRunStatus } from '@broker/domain';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure } from '../client/conditional';
import { TTL_ATTRIBUTE } from '../schema/table-schema';

export const JOB_RUN_SK = 'JOBRUN';

export function jobRunPk(runId: string): string {
  return `JOBRUN#${runId}`;
}

/** Run records are for operators reading an outcome back; DynamoDB's TTL removes them later. */
const RUN_RETENTION_SECONDS = 7 * 24 * 3600;

export interface DynamoJobRunRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

/**
 * Run records as items `JOBRUN#<runId>` / `JOBRUN`. A put is conditional on "absent or still
 * running", so a finished record is never overwritten.
 */
export class DynamoJobRunRepository implements JobRunRepository {
  constructor(private readonly options: DynamoJobRunRepositoryOptions) {}

  async save(record: JobRunRecord): Promise<void> {
    const ttl = Math.floor(this.options.clock.nowMs() / 1000) + RUN_RETENTION_SECONDS;
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            PK: jobRunPk(record.runId),
            SK: JOB_RUN_SK,
            run_id: record.runId,
            job: record.job,
            run_status: record.status,
            owner: record.owner,
            triggered_by: record.triggeredBy,
            started_at_ms: record.startedAtMs,
            finished_at_ms: record.finishedAtMs,
            duration_ms: record.durationMs,
            result: record.result,
            error: record.error,
            [TTL_ATTRIBUTE]: ttl,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR run_status = :running',
          ExpressionAttributeValues: { ':running': 'running' },
        }),
      );
    } catch (error) {
      // Already finished: the outcome stays as first written.
      if (!isConditionalFailure(error)) throw error;
    }
  }

  async get(runId: string): Promise<JobRunRecord | null> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { PK: jobRunPk(runId), SK: JOB_RUN_SK },
        ConsistentRead: true,
      }),
    );
    if (!Item) return null;
    const item = Item as Record<string, unknown>;
    return {
      runId: String(item['run_id']),
      job: String(item['job']),
      status: item['run_status'] as JobRunStatus,
      owner: String(item['owner']),
      triggeredBy: String(item['triggered_by']),
      startedAtMs: Number(item['started_at_ms']),
      ...(typeof item['finished_at_ms'] === 'number'
        ? { finishedAtMs: item['finished_at_ms'] }
        : {}),
      ...(typeof item['duration_ms'] === 'number' ? { durationMs: item['duration_ms'] } : {}),
      ...(item['result'] && typeof item['result'] === 'object'
        ? { result: item['result'] as Record<string, unknown> }
        : {}),
      ...(typeof item['error'] === 'string' ? { error: item['error'] } : {}),
    };
  }
}
