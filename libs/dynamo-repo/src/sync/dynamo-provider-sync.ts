import {
  type Clock,
  nowSeconds,
  type ProviderSandbox,
  type ProviderSyncRepository,
  type ProviderUpsertOutcome,
  SandboxStatus,
} from '@broker/domain';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unlessConditionFails } from '../client/conditional';
import { nameSortKey } from '../keys/item-keys';
import { newAvailableItem } from '../mapping/sandbox-item';
import type { TransitionWriter } from '../transitions/transition-writer';

/**
 * The provider sync's write of one listed account: refresh an available row or revive a stale
 * one (one transition write), else insert it (conditional put); allocated-or-later rows and
 * tombstones are never touched.
 */
export class DynamoProviderSync implements ProviderSyncRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly writer: TransitionWriter,
    private readonly clock: Clock,
  ) {}

  async upsertFromProvider(provider: ProviderSandbox): Promise<ProviderUpsertOutcome> {
    const now = nowSeconds(this.clock);
    const sfdc = provider.sfdcAccountId;
    // Existing rows first (the common case for sync): refresh available, revive stale.
    const old = await this.writer.apply({
      sandboxId: provider.sandboxId,
      to: SandboxStatus.Available,
      by: 'sync',
      orUnchanged: true,
      now,
      set:
        '#name = :name, external_id = :ext, created_at = :created, last_synced_at = :now, ' +
        'status_sk = :sk' +
        (sfdc ? ', sfdc_account_id = :sfdc' : ''),
      remove: sfdc ? ['stale_since'] : ['stale_since', 'sfdc_account_id'],
      names: { '#name': 'name' },
      values: {
        ':name': provider.name,
        ':ext': provider.externalId,
        ':created': provider.createdAt,
        ':sk': nameSortKey(provider.name, provider.sandboxId),
        ...(sfdc ? { ':sfdc': sfdc } : {}),
      },
      returnValues: 'UPDATED_OLD',
    });
    if (old) return old['status'] === SandboxStatus.Stale ? 'revived' : 'refreshed';
    const inserted = await unlessConditionFails(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: newAvailableItem(provider, now),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
      null,
    );
    // Allocated or later, or a tombstone: sync never touches it.
    return inserted ? 'inserted' : 'untouched';
  }
}
