import type { ReservationHold, ReservationStatus } from '@broker/domain';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure } from '../client/conditional';
import type { SandboxTable } from '../pool/dynamo-sandbox-reads';
import { LEDGER_KEY } from './reservation-keys';

/** A hold as stored in the ledger's `holds` map (snake_case). */
export interface StoredHold {
  track: string;
  name_prefix: string;
  count: number;
  starts_at: number;
  ends_at: number;
  earmark_at: number;
  release_at: number;
  status: ReservationStatus;
  /** Enough to rebuild the reservation item if a creator died between the two writes. */
  release_unclaimed_after: number;
  created_at: number;
  created_by: string;
}

/** The ledger as read: its holds and the version every change is conditional on. */
export interface LedgerSnapshot {
  readonly version: number;
  readonly holds: ReadonlyMap<string, StoredHold>;
}

/** Rounds lost to concurrent ledger writers before giving up (409 CONCURRENT_MODIFICATION). */
export const MAX_LEDGER_ROUNDS = 30;

/**
 * The capacity ledger: one item whose `version` serialises every booking change. A writer reads
 * it (strongly consistent), decides, and writes the whole `holds` map back conditional on the
 * version it read; a concurrent writer's success makes the condition fail and the loser decides
 * again on the new ledger. One item for all prefixes, because prefixes overlap (`lab-` and
 * `lab-a-` draw on the same sandboxes); bookings are rare, so its write rate is not a concern.
 * DynamoDB's 400 KB item limit allows a few thousand live holds (~150 bytes each).
 */
export class ReservationLedger {
  constructor(private readonly table: SandboxTable) {}

  async read(consistent = true): Promise<LedgerSnapshot> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: LEDGER_KEY,
        ConsistentRead: consistent,
      }),
    );
    const holds = new Map<string, StoredHold>(
      Object.entries((Item?.['holds'] as Record<string, StoredHold> | undefined) ?? {}),
    );
    return { version: typeof Item?.['version'] === 'number' ? Item['version'] : 0, holds };
  }

  /** Write `holds` if the ledger is still at `read.version`; false when another writer won. */
  async write(read: LedgerSnapshot, holds: ReadonlyMap<string, StoredHold>): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: LEDGER_KEY,
          UpdateExpression: 'SET holds = :holds, version = :next',
          ConditionExpression:
            read.version === 0 ? 'attribute_not_exists(PK)' : 'version = :version',
          ExpressionAttributeValues: {
            ':holds': Object.fromEntries(holds),
            ':next': read.version + 1,
            ...(read.version === 0 ? {} : { ':version': read.version }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }
}

export function toHold(reservationId: string, stored: StoredHold): ReservationHold {
  return {
    reservationId,
    track: stored.track,
    namePrefix: stored.name_prefix,
    count: stored.count,
    startsAt: stored.starts_at,
    endsAt: stored.ends_at,
    earmarkAt: stored.earmark_at,
    releaseAt: stored.release_at,
    status: stored.status,
  };
}
