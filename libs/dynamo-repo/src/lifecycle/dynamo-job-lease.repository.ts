import type { Clock, JobLease, JobLeaseHolder, JobLeaseRepository } from '@broker/domain';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { isConditionalFailure, ownEarlierWrite } from '../client/conditional';
import { TTL_ATTRIBUTE } from '../schema/table-schema';

export const LEASE_SK = 'LEASE';

export function leasePk(job: string): string {
  return `LEASE#${job}`;
}

/** DynamoDB's TTL removes a lease item this long after it expired (it is harmless until then). */
const LEASE_RETENTION_SECONDS = 24 * 3600;

export interface DynamoJobLeaseRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

/**
 * Job leases as items `LEASE#<job>` / `LEASE`: acquired by a put conditional on "absent or
 * expired", renewed and released by writes conditional on the acquisition's token. Holders'
 * clocks must agree to within a small fraction of the TTL (NTP on every host).
 */
export class DynamoJobLeaseRepository implements JobLeaseRepository {
  constructor(private readonly options: DynamoJobLeaseRepositoryOptions) {}

  async acquire(job: string, owner: string, ttlMs: number): Promise<JobLease | null> {
    const now = this.options.clock.nowMs();
    const lease: JobLease = { job, owner, token: randomUUID(), expiresAtMs: now + ttlMs };
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            PK: leasePk(job),
            SK: LEASE_SK,
            job,
            owner,
            token: lease.token,
            acquired_at_ms: now,
            expires_at_ms: lease.expiresAtMs,
            [TTL_ATTRIBUTE]: ttlOf(lease.expiresAtMs),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR expires_at_ms <= :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return lease;
    } catch (error) {
      // A retried put refused by its own applied first attempt still holds the lease.
      const ours = await ownEarlierWrite(
        error,
        () => this.read(job),
        (item) => item['token'] === lease.token,
      );
      return ours ? lease : null;
    }
  }

  async renew(lease: JobLease, ttlMs: number): Promise<JobLease | null> {
    const expiresAtMs = this.options.clock.nowMs() + ttlMs;
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { PK: leasePk(lease.job), SK: LEASE_SK },
          UpdateExpression: 'SET expires_at_ms = :exp, #ttl = :ttl',
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':exp': expiresAtMs,
            ':ttl': ttlOf(expiresAtMs),
            ':token': lease.token,
          },
        }),
      );
      return { ...lease, expiresAtMs };
    } catch (error) {
      if (isConditionalFailure(error)) return null;
      throw error;
    }
  }

  async release(lease: JobLease): Promise<void> {
    try {
      await this.options.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: { PK: leasePk(lease.job), SK: LEASE_SK },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': lease.token },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }

  async holder(job: string): Promise<JobLeaseHolder | null> {
    const item = await this.read(job);
    const expiresAtMs = item?.['expires_at_ms'];
    const owner = item?.['owner'];
    if (typeof expiresAtMs !== 'number' || typeof owner !== 'string') return null;
    return expiresAtMs > this.options.clock.nowMs() ? { owner, expiresAtMs } : null;
  }

  private async read(job: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { PK: leasePk(job), SK: LEASE_SK },
        ConsistentRead: true,
      }),
    );
    return (Item as Record<string, unknown> | undefined) ?? null;
  }
}

function ttlOf(expiresAtMs: number): number {
  return Math.ceil(expiresAtMs / 1000) + LEASE_RETENTION_SECONDS;
}
