import type { ReservationHold } from '@broker/domain';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { unlessConditionFails } from '../client/conditional';
import type { SandboxTable } from '../pool/dynamo-sandbox-reads';
import { newReservationItem } from './reservation-item';
import { RESERVATION_SK, reservationPk } from './reservation-keys';
import type { LedgerSnapshot } from './reservation-ledger';

/** Reads of reservation items shared by the bookings, the job and the allocation path. */
export class ReservationItems {
  constructor(private readonly table: SandboxTable) {}

  async get(reservationId: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: { PK: reservationPk(reservationId), SK: RESERVATION_SK },
        ConsistentRead: true,
      }),
    );
    return Item ?? null;
  }

  /**
   * The item, rebuilt from the ledger when its creator died between the ledger write and the
   * item's put (the ledger is the authority; the put is conditional, so two repairers agree).
   */
  async getOrRepair(
    reservationId: string,
    ledger: LedgerSnapshot,
    now: number,
  ): Promise<Record<string, unknown> | null> {
    const item = await this.get(reservationId);
    if (item) return item;
    const stored = ledger.holds.get(reservationId);
    if (!stored) return null;
    const rebuilt = newReservationItem(reservationId, stored, now);
    await unlessConditionFails(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: rebuilt,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
      null,
    );
    return (await this.get(reservationId)) ?? { ...rebuilt };
  }

  /** `allocated` of each hold (0 for one whose item is missing), a few reads at a time. */
  async allocatedOf(holds: readonly ReservationHold[]): Promise<Map<string, number>> {
    const limit = pLimit(8);
    const out = new Map<string, number>();
    await Promise.all(
      holds.map((hold) =>
        limit(async () => {
          const item = await this.get(hold.reservationId);
          const allocated = item?.['allocated'];
          out.set(hold.reservationId, typeof allocated === 'number' ? allocated : 0);
        }),
      ),
    );
    return out;
  }
}
