import {
  type Clock,
  type DeletionClaim,
  type DeletionFailure,
  type EpochSeconds,
  nowSeconds,
  type SandboxLifecycleRepository,
  SandboxStatus,
} from '@broker/domain';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SANDBOX_SK, sandboxPk, statusPkOf } from '../keys/item-keys';
import { toSandbox } from '../mapping/sandbox-item';
import { isConditionalFailure } from '../repository/dynamo-sandbox.repository';

export interface DynamoLifecycleRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

/**
 * Attributes the cleanup adds to sandbox rows while it holds them: who claimed the row for
 * deletion and when, and when the NIOSXaaS pre-clean finished.
 */
export const LIFECYCLE_ATTRIBUTES = {
  deletionOwner: 'deletion_owner',
  deletionClaimedAt: 'deletion_claimed_at',
  preDeleteDoneAt: 'niosxaas_cleaned_at',
} as const;

/** One conditional status change (see `transition`). */
export interface Transition {
  readonly sandboxId: string;
  readonly to: SandboxStatus;
  /** Condition on top of the status check, using the names/values below. */
  readonly condition: string;
  readonly set?: string;
  readonly remove?: readonly string[];
  readonly values?: Record<string, unknown>;
  readonly returnNew?: boolean;
}

/**
 * The background jobs' transitions on DynamoDB. Each is one UpdateItem whose condition re-checks
 * the row's status (and, for rows held in `deleting`, the owner token); status_pk moves with the
 * status so the StatusIndex lists the row under its new state. No transactions, no scans.
 */
export class DynamoLifecycleRepository implements SandboxLifecycleRepository {
  constructor(protected readonly options: DynamoLifecycleRepositoryOptions) {}

  async markStale(sandboxId: string, notSyncedSince: EpochSeconds): Promise<boolean> {
    return (
      (await this.transition({
        sandboxId,
        to: SandboxStatus.Stale,
        condition:
          '#status = :available AND (attribute_not_exists(last_synced_at) OR last_synced_at < :since)',
        // status_pk moves to stale#: allocation never sees it again until sync revives it.
        set: 'stale_since = :now',
        values: { ':available': SandboxStatus.Available, ':since': notSyncedSince },
      })) !== null
    );
  }

  async expire(sandboxId: string, expiresAtOrBefore: EpochSeconds): Promise<boolean> {
    return (
      (await this.transition({
        sandboxId,
        to: SandboxStatus.PendingDeletion,
        condition: '#status = :allocated AND expires_at <= :cutoff',
        set: 'deletion_requested_at = :now',
        values: { ':allocated': SandboxStatus.Allocated, ':cutoff': expiresAtOrBefore },
      })) !== null
    );
  }

  async purgeStale(sandboxId: string, staleSinceOrBefore: EpochSeconds): Promise<boolean> {
    return (
      (await this.transition({
        sandboxId,
        to: SandboxStatus.Deleted,
        condition:
          '#status = :stale AND (stale_since <= :cutoff OR (attribute_not_exists(stale_since) AND updated_at <= :cutoff))',
        set: 'deleted_at = :now',
        values: { ':stale': SandboxStatus.Stale, ':cutoff': staleSinceOrBefore },
      })) !== null
    );
  }

  async claimDeletion(sandboxId: string, owner: string): Promise<DeletionClaim | null> {
    const now = nowSeconds(this.options.clock);
    const item = await this.transition({
      sandboxId,
      to: SandboxStatus.Deleting,
      condition:
        '#status = :pending OR (#status = :failed AND (attribute_not_exists(next_attempt_at) OR next_attempt_at <= :now))',
      set: 'deletion_owner = :owner, deletion_claimed_at = :now',
      values: {
        ':pending': SandboxStatus.PendingDeletion,
        ':failed': SandboxStatus.DeletionFailed,
        ':owner': owner,
      },
      returnNew: true,
    });
    if (!item) return null;
    const preDeleteDoneAt = item[LIFECYCLE_ATTRIBUTES.preDeleteDoneAt];
    return {
      sandbox: toSandbox(item),
      owner,
      claimedAt: now,
      ...(typeof preDeleteDoneAt === 'number' ? { preDeleteDoneAt } : {}),
    };
  }

  async recordPreDeleteDone(claim: DeletionClaim): Promise<boolean> {
    const now = nowSeconds(this.options.clock);
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { PK: sandboxPk(claim.sandbox.sandboxId), SK: SANDBOX_SK },
          UpdateExpression:
            'SET niosxaas_cleaned_at = :now, updated_at = :now, version = version + :one',
          ConditionExpression: '#status = :deleting AND deletion_owner = :owner',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':now': now,
            ':one': 1,
            ':deleting': SandboxStatus.Deleting,
            ':owner': claim.owner,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  completeDeletion(claim: DeletionClaim): Promise<boolean> {
    return this.release(claim, SandboxStatus.Deleted, 'deleted_at = :now', {}, ['next_attempt_at']);
  }

  failDeletion(claim: DeletionClaim, failure: DeletionFailure): Promise<boolean> {
    return this.release(
      claim,
      SandboxStatus.DeletionFailed,
      'deletion_attempts = if_not_exists(deletion_attempts, :zero) + :one, next_attempt_at = :next, last_error = :error',
      { ':zero': 0, ':next': failure.nextAttemptAt, ':error': failure.error },
    );
  }

  quarantine(claim: DeletionClaim, reason: string): Promise<boolean> {
    return this.release(
      claim,
      SandboxStatus.Quarantined,
      'deletion_attempts = if_not_exists(deletion_attempts, :zero) + :one, quarantine_reason = :reason, last_error = :reason',
      { ':zero': 0, ':reason': reason },
      ['next_attempt_at'],
    );
  }

  abandonDeletion(claim: DeletionClaim, reason: string): Promise<boolean> {
    return this.release(
      claim,
      SandboxStatus.PendingDeletion,
      'last_error = :reason',
      { ':reason': reason },
      ['next_attempt_at'],
    );
  }

  async recoverDeletion(sandboxId: string, claimedBefore: EpochSeconds): Promise<boolean> {
    return (
      (await this.transition({
        sandboxId,
        to: SandboxStatus.PendingDeletion,
        condition: '#status = :deleting AND deletion_claimed_at <= :cutoff',
        remove: ['deletion_owner', 'deletion_claimed_at', 'next_attempt_at'],
        values: { ':deleting': SandboxStatus.Deleting, ':cutoff': claimedBefore },
      })) !== null
    );
  }

  /** Leave `deleting` under our own claim (owner-conditional). */
  private async release(
    claim: DeletionClaim,
    to: SandboxStatus,
    set: string,
    values: Record<string, unknown>,
    remove: readonly string[] = [],
  ): Promise<boolean> {
    return (
      (await this.transition({
        sandboxId: claim.sandbox.sandboxId,
        to,
        condition: '#status = :deleting AND deletion_owner = :owner',
        set,
        remove: ['deletion_owner', 'deletion_claimed_at', ...remove],
        values: { ...values, ':deleting': SandboxStatus.Deleting, ':owner': claim.owner },
      })) !== null
    );
  }

  /** One conditional UpdateItem; null when the condition did not hold. */
  protected async transition(t: Transition): Promise<Record<string, unknown> | null> {
    const now = nowSeconds(this.options.clock);
    const sets = [
      '#status = :to',
      'status_pk = :spk',
      'updated_at = :now',
      'version = version + :one',
      ...(t.set ? [t.set] : []),
    ];
    const remove = t.remove && t.remove.length > 0 ? ` REMOVE ${t.remove.join(', ')}` : '';
    try {
      const { Attributes } = await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { PK: sandboxPk(t.sandboxId), SK: SANDBOX_SK },
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ConditionExpression: `attribute_exists(PK) AND (${t.condition})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...t.values,
            ':to': t.to,
            ':spk': statusPkOf(t.to, t.sandboxId),
            ':now': now,
            ':one': 1,
          },
          ReturnValues: t.returnNew ? 'ALL_NEW' : 'NONE',
        }),
      );
      return t.returnNew ? (Attributes ?? {}) : {};
    } catch (error) {
      if (isConditionalFailure(error)) return null;
      throw error;
    }
  }
}
