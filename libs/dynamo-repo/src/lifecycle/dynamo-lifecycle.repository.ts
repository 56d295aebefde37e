import {
  type Clock,
  type DeletionClaim,
  type DeletionFailure,
  type EpochSeconds,
  type ProviderDiscrepancies,
  nowSeconds,
  type SandboxLifecycleRepository,
  SandboxStatus,
} from '@broker/domain';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unlessConditionFails } from '../client/conditional';
import { lowLevelClientOf } from '../client/document-client';
import { SANDBOX_SK, sandboxPk } from '../keys/item-keys';
import { toSandbox } from '../mapping/sandbox-item';
import { type StatusChange, TransitionWriter } from '../transitions/transition-writer';
import { writeSyncDiscrepancies } from './sync-discrepancies-item';

export interface DynamoLifecycleRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  /** The store's one writer (a new one over `client` when absent). */
  readonly writer?: TransitionWriter;
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

/**
 * The background jobs' transitions on DynamoDB, each one TransitionWriter write: the status
 * condition comes from TRANSITIONS (by the job's actor), plus the job's own condition (cutoffs,
 * and for rows held in `deleting` the owner token). No transactions, no scans.
 */
export class DynamoLifecycleRepository implements SandboxLifecycleRepository {
  private readonly writer: TransitionWriter;

  constructor(private readonly options: DynamoLifecycleRepositoryOptions) {
    this.writer =
      options.writer ??
      new TransitionWriter(lowLevelClientOf(options.client), options.tableName, options.clock);
  }

  async markStale(sandboxId: string, notSyncedSince: EpochSeconds): Promise<boolean> {
    // status_pk moves to stale#: allocation never sees it again until sync revives it.
    return this.changed({
      sandboxId,
      to: SandboxStatus.Stale,
      by: 'sync',
      condition: 'attribute_not_exists(last_synced_at) OR last_synced_at < :since',
      set: 'stale_since = :now',
      values: { ':since': notSyncedSince },
    });
  }

  async expire(sandboxId: string, expiresAtOrBefore: EpochSeconds): Promise<boolean> {
    return this.changed({
      sandboxId,
      to: SandboxStatus.PendingDeletion,
      by: 'expiry',
      condition: 'expires_at <= :cutoff',
      set: 'deletion_requested_at = :now',
      values: { ':cutoff': expiresAtOrBefore },
    });
  }

  async purgeStale(sandboxId: string, staleSinceOrBefore: EpochSeconds): Promise<boolean> {
    return this.changed({
      sandboxId,
      to: SandboxStatus.Deleted,
      by: 'sync',
      condition:
        'stale_since <= :cutoff OR (attribute_not_exists(stale_since) AND updated_at <= :cutoff)',
      set: 'deleted_at = :now',
      values: { ':cutoff': staleSinceOrBefore },
    });
  }

  async claimDeletion(sandboxId: string, owner: string): Promise<DeletionClaim | null> {
    const now = nowSeconds(this.options.clock);
    const item = await this.writer.apply({
      sandboxId,
      to: SandboxStatus.Deleting,
      by: 'cleanup',
      now,
      // pending_deletion, or deletion_failed whose back-off has passed.
      condition:
        '#status = :pending OR attribute_not_exists(next_attempt_at) OR next_attempt_at <= :now',
      set: 'deletion_owner = :owner, deletion_claimed_at = :now',
      values: { ':pending': SandboxStatus.PendingDeletion, ':owner': owner },
      returnValues: 'ALL_NEW',
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

  /** Not a status change: one conditional field write on a row we hold in `deleting`. */
  async recordPreDeleteDone(claim: DeletionClaim): Promise<boolean> {
    const now = nowSeconds(this.options.clock);
    const done = await unlessConditionFails(
      this.options.client.send(
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
      ),
      null,
    );
    return done !== null;
  }

  completeDeletion(claim: DeletionClaim): Promise<boolean> {
    return this.leave(claim, SandboxStatus.Deleted, 'deleted_at = :now', {}, ['next_attempt_at']);
  }

  failDeletion(claim: DeletionClaim, failure: DeletionFailure): Promise<boolean> {
    return this.leave(
      claim,
      SandboxStatus.DeletionFailed,
      'deletion_attempts = if_not_exists(deletion_attempts, :zero) + :one, next_attempt_at = :next, last_error = :error',
      { ':zero': 0, ':next': failure.nextAttemptAt, ':error': failure.error },
    );
  }

  quarantine(claim: DeletionClaim, reason: string): Promise<boolean> {
    return this.leave(
      claim,
      SandboxStatus.Quarantined,
      'deletion_attempts = if_not_exists(deletion_attempts, :zero) + :one, quarantine_reason = :reason, last_error = :reason',
      { ':zero': 0, ':reason': reason },
      ['next_attempt_at'],
    );
  }

  abandonDeletion(claim: DeletionClaim, reason: string): Promise<boolean> {
    return this.leave(
      claim,
      SandboxStatus.PendingDeletion,
      'last_error = :reason',
      { ':reason': reason },
      ['next_attempt_at'],
    );
  }

  async recoverDeletion(sandboxId: string, claimedBefore: EpochSeconds): Promise<boolean> {
    return this.changed({
      sandboxId,
      to: SandboxStatus.PendingDeletion,
      by: 'repair',
      from: [SandboxStatus.Deleting],
      condition: 'deletion_claimed_at <= :cutoff',
      remove: ['deletion_owner', 'deletion_claimed_at', 'next_attempt_at'],
      values: { ':cutoff': claimedBefore },
    });
  }

  recordSyncDiscrepancies(found: ProviderDiscrepancies): Promise<void> {
    return writeSyncDiscrepancies(this.options.client, this.options.tableName, found);
  }

  /** Leave `deleting` under our own claim (owner-conditional). */
  private leave(
    claim: DeletionClaim,
    to: SandboxStatus,
    set: string,
    values: Record<string, unknown>,
    remove: readonly string[] = [],
  ): Promise<boolean> {
    return this.changed({
      sandboxId: claim.sandbox.sandboxId,
      to,
      by: 'cleanup',
      from: [SandboxStatus.Deleting],
      condition: 'deletion_owner = :owner',
      set,
      remove: ['deletion_owner', 'deletion_claimed_at', ...remove],
      values: { ...values, ':owner': claim.owner },
    });
  }

  private async changed(change: StatusChange): Promise<boolean> {
    return (await this.writer.apply(change)) !== null;
  }
}
