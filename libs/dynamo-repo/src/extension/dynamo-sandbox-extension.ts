import {
  type Clock,
  ConcurrentModificationError,
  ExtensionLimitReachedError,
  type ExtensionPolicy,
  nextExtension,
  NotSandboxOwnerError,
  nowSeconds,
  type Sandbox,
  type SandboxExtensionRepository,
  SandboxNotAllocatedError,
  SandboxNotFoundError,
  SandboxStatus,
} from '@broker/domain';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ownEarlierWrite } from '../client/conditional';
import { SANDBOX_SK, sandboxPk } from '../keys/item-keys';
import { toSandbox } from '../mapping/sandbox-item';
import type { DynamoSandboxReads, SandboxTable } from '../pool/dynamo-sandbox-reads';

/** Rounds lost to concurrent extensions of the same row before giving up (409, retry). */
const MAX_EXTENSION_ROUNDS = 25;

/**
 * The student's self-extension. Not a status change (the row stays `allocated`), so not through
 * the TransitionWriter: one conditional UpdateItem, like `recordPreDeleteDone`, on the owner,
 * `allocated`, and the `expires_at` and `extension_count` it read. A concurrent extension that
 * won first makes the condition fail; the loser re-reads and computes its step from the new row,
 * so every success adds exactly one step and the count never passes the limit.
 */
export class DynamoSandboxExtension implements SandboxExtensionRepository {
  constructor(
    private readonly table: SandboxTable,
    private readonly reads: DynamoSandboxReads,
    private readonly clock: Clock,
  ) {}

  async extend(sandboxId: string, studentId: string, policy: ExtensionPolicy): Promise<Sandbox> {
    for (let round = 0; round < MAX_EXTENSION_ROUNDS; round += 1) {
      const item = await this.reads.getItem(sandboxId);
      if (!item) throw new SandboxNotFoundError(sandboxId);
      const sandbox = toSandbox(item);
      if (sandbox.ownerId !== studentId) throw new NotSandboxOwnerError(sandboxId);
      if (sandbox.status !== SandboxStatus.Allocated) {
        throw new SandboxNotAllocatedError(sandboxId, sandbox.status);
      }
      const step = nextExtension(sandbox, policy);
      if (!step.ok) throw new ExtensionLimitReachedError(sandboxId, step.limits);
      const written = await this.write(sandbox, studentId, step);
      if (written) return written;
    }
    throw new ConcurrentModificationError(`Sandbox ${sandboxId}`);
  }

  /** The conditional write; null when another writer changed the row first. */
  private async write(
    read: Sandbox,
    studentId: string,
    step: { readonly expiresAt: number; readonly extensionCount: number },
  ): Promise<Sandbox | null> {
    const writeId = randomUUID();
    const count = read.extensionCount ?? 0;
    const conditions = [
      '#status = :allocated',
      'owner_id = :sid',
      read.expiresAt === undefined ? 'attribute_not_exists(expires_at)' : 'expires_at = :expected',
      count === 0 ? 'attribute_not_exists(extension_count)' : 'extension_count = :count',
    ];
    try {
      const { Attributes } = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: { PK: sandboxPk(read.sandboxId), SK: SANDBOX_SK },
          UpdateExpression:
            'SET expires_at = :expires, extension_count = :next, extension_write_id = :wid, ' +
            'updated_at = :now, version = version + :one',
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':allocated': SandboxStatus.Allocated,
            ':sid': studentId,
            ...(read.expiresAt === undefined ? {} : { ':expected': read.expiresAt }),
            ...(count === 0 ? {} : { ':count': count }),
            ':expires': step.expiresAt,
            ':next': step.extensionCount,
            ':wid': writeId,
            ':now': nowSeconds(this.clock),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toSandbox(Attributes) : null;
    } catch (error) {
      // A retried write whose first attempt was applied (answer lost) meets its own write.
      const ours = await ownEarlierWrite(
        error,
        () => this.reads.getItem(read.sandboxId),
        (item) => item['extension_write_id'] === writeId,
      );
      return ours ? toSandbox(ours) : null;
    }
  }
}
