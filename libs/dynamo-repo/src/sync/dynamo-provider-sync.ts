import {
  type Clock,
  nowSeconds,
  type ProviderSandbox,
  type ProviderSyncRepository,
  type ProviderUpsertOutcome,
  SandboxStatus,
} from '@broker/domain';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ownEarlierWrite } from '../client/conditional';
import { externalIndexKeys, nameSortKey, SANDBOX_SK, sandboxPk } from '../keys/item-keys';
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
    const external = externalIndexKeys(provider.externalId, provider.sandboxId);
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
        (sfdc ? ', sfdc_account_id = :sfdc' : '') +
        (external ? ', external_pk = :xpk, external_sk = :xsk' : ''),
      remove: [
        'stale_since',
        ...(sfdc ? [] : ['sfdc_account_id']),
        ...(external ? [] : ['external_pk', 'external_sk']),
      ],
      names: { '#name': 'name' },
      values: {
        ':name': provider.name,
        ':ext': provider.externalId,
        ':created': provider.createdAt,
        ':sk': nameSortKey(provider.name, provider.sandboxId),
        ...(sfdc ? { ':sfdc': sfdc } : {}),
        ...(external ? { ':xpk': external.external_pk, ':xsk': external.external_sk } : {}),
      },
      returnValues: 'UPDATED_OLD',
    });
    if (old) return old['status'] === SandboxStatus.Stale ? 'revived' : 'refreshed';
    const writeId = randomUUID();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: newAvailableItem(provider, now, writeId),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return 'inserted';
    } catch (error) {
      const ours = await ownEarlierWrite(
        error,
        () => this.readRow(provider.sandboxId),
        (item) => item['write_id'] === writeId,
      );
      // Allocated or later, or a tombstone: sync never touches it.
      return ours ? 'inserted' : 'untouched';
    }
  }

  private async readRow(sandboxId: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: sandboxPk(sandboxId), SK: SANDBOX_SK },
        ConsistentRead: true,
      }),
    );
    return Item ?? null;
  }
}
