import type { ConsoleSessionRecord, ConsoleSessionRepository } from '@broker/domain';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from '../schema/table-schema';

export const CONSOLE_SESSION_SK = 'SESSION';

/** `SESSION#<sha-256 hex of the session id>`: the raw id never reaches the table. */
export function consoleSessionPk(sessionIdHash: string): string {
  return `SESSION#${sessionIdHash}`;
}

export interface DynamoConsoleSessionRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Console sessions as items `SESSION#<id hash>` / `SESSION` with the TTL attribute set to the
 * expiry, so DynamoDB removes them; `find` also checks the expiry itself (TTL deletion lags).
 */
export class DynamoConsoleSessionRepository implements ConsoleSessionRepository {
  constructor(private readonly options: DynamoConsoleSessionRepositoryOptions) {}

  async create(record: ConsoleSessionRecord): Promise<void> {
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: {
          PK: consoleSessionPk(record.sessionIdHash),
          SK: CONSOLE_SESSION_SK,
          csrf_token_hash: record.csrfTokenHash,
          role: record.role,
          token_name: record.tokenName,
          created_at_ms: record.createdAtMs,
          expires_at_ms: record.expiresAtMs,
          [TTL_ATTRIBUTE]: Math.ceil(record.expiresAtMs / 1000),
        },
        // A 256-bit random id never repeats; refuse rather than overwrite if it ever did.
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async find(sessionIdHash: string, nowMs: number): Promise<ConsoleSessionRecord | null> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { PK: consoleSessionPk(sessionIdHash), SK: CONSOLE_SESSION_SK },
        ConsistentRead: true,
      }),
    );
    if (!Item) return null;
    const expiresAtMs = Number(Item['expires_at_ms']);
    if (!(nowMs < expiresAtMs)) return null;
    const role: unknown = Item['role'];
    if (role !== 'admin' && role !== 'viewer') return null;
    return {
      sessionIdHash,
      csrfTokenHash: String(Item['csrf_token_hash']),
      role,
      tokenName: String(Item['token_name']),
      createdAtMs: Number(Item['created_at_ms']),
      expiresAtMs,
    };
  }

  async revoke(sessionIdHash: string): Promise<void> {
    await this.options.client.send(
      new DeleteCommand({
        TableName: this.options.tableName,
        Key: { PK: consoleSessionPk(sessionIdHash), SK: CONSOLE_SESSION_SK },
      }),
    );
  }
}
