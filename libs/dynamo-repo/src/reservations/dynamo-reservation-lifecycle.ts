import {
  type Clock,
  ConcurrentModificationError,
  nowSeconds,
  type ReservationHold,
  type ReservationLifecycleRepository,
  type ReservationStatus,
  SandboxStatus,
} from '@broker/domain';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fetchAvailableCandidates } from '../allocation/candidate-source';
import { unlessConditionFails } from '../client/conditional';
import { sandboxIdOfPk } from '../keys/item-keys';
import type { SandboxTable } from '../pool/dynamo-sandbox-reads';
import { INDEXES } from '../schema/table-schema';
import type { TransitionWriter } from '../transitions/transition-writer';
import { liveHolds } from './dynamo-reservations';
import { earmarkTypePk, RESERVATION_SK, reservationPk } from './reservation-keys';
import { MAX_LEDGER_ROUNDS, ReservationLedger } from './reservation-ledger';
import { ReservationItems } from './reservation-reads';
import { countEarmarked } from './stock-count';

/** Candidate reads per top-up (each asks for the seats still missing). */
const MAX_EARMARK_ROUNDS = 8;

/**
 * The reservation job's reads and writes on DynamoDB: earmarking (available → reserved, one
 * TransitionWriter write per sandbox, tagged with the reservation id and listed in the
 * reservation's TypeIndex partition), giving back (reserved → available, conditional on the
 * reservation id) and clearing a finished hold from the ledger.
 */
export class DynamoReservationLifecycle implements ReservationLifecycleRepository {
  private readonly ledger: ReservationLedger;
  private readonly items: ReservationItems;

  constructor(
    private readonly table: SandboxTable,
    private readonly writer: TransitionWriter,
    private readonly clock: Clock,
  ) {
    this.ledger = new ReservationLedger(table);
    this.items = new ReservationItems(table);
  }

  async holds(): Promise<readonly ReservationHold[]> {
    return liveHolds(await this.ledger.read());
  }

  /** Earmarked now, and allocated from it so far (the item is repaired from the ledger). */
  async counts(reservationId: string): Promise<{ held: number; allocated: number }> {
    const item = await this.items.getOrRepair(
      reservationId,
      await this.ledger.read(),
      nowSeconds(this.clock),
    );
    const allocated = item?.['allocated'];
    return {
      held: await countEarmarked(this.table, earmarkTypePk(reservationId)),
      allocated: typeof allocated === 'number' ? allocated : 0,
    };
  }

  async earmarked(reservationId: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let lastKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          IndexName: INDEXES.type.name,
          KeyConditionExpression: 'type_pk = :pk',
          ExpressionAttributeValues: { ':pk': earmarkTypePk(reservationId) },
          ProjectionExpression: 'PK',
          Limit: Math.min(100, limit - ids.length),
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const id = sandboxIdOfPk(String(item['PK']));
        if (id) ids.push(id);
      }
      lastKey = page.LastEvaluatedKey;
    } while (lastKey && ids.length < limit);
    return ids;
  }

  async earmark(hold: ReservationHold, want: number): Promise<string[]> {
    const done: string[] = [];
    const tried = new Set<string>();
    for (let round = 0; round < MAX_EARMARK_ROUNDS && done.length < want; round += 1) {
      const candidates = await fetchAvailableCandidates(
        this.table,
        hold.namePrefix,
        (id) => tried.has(id),
        want - done.length,
      );
      if (candidates.length === 0) break;
      for (const candidate of candidates) {
        if (done.length >= want) break;
        tried.add(candidate.id);
        if (await this.earmarkSandbox(hold.reservationId, candidate.id)) done.push(candidate.id);
      }
    }
    return done;
  }

  async earmarkSandbox(reservationId: string, sandboxId: string): Promise<boolean> {
    const written = await this.writer.apply({
      sandboxId,
      to: SandboxStatus.Reserved,
      by: 'reservation',
      // type_sk = the row's own status_sk (`<name>#<id>`): unique, and ordered by name.
      set: 'reservation_id = :rid, type_pk = :tpk, type_sk = status_sk',
      values: { ':rid': reservationId, ':tpk': earmarkTypePk(reservationId) },
    });
    return written !== null;
  }

  async releaseSandbox(reservationId: string, sandboxId: string): Promise<boolean> {
    const written = await this.writer.apply({
      sandboxId,
      to: SandboxStatus.Available,
      by: 'reservation',
      condition: 'reservation_id = :rid',
      remove: ['reservation_id', 'type_pk', 'type_sk'],
      values: { ':rid': reservationId },
    });
    return written !== null;
  }

  async clear(hold: ReservationHold, status: ReservationStatus): Promise<void> {
    for (let round = 0; round < MAX_LEDGER_ROUNDS; round += 1) {
      const snapshot = await this.ledger.read();
      if (!snapshot.holds.has(hold.reservationId)) break;
      const holds = new Map(snapshot.holds);
      holds.delete(hold.reservationId);
      if (await this.ledger.write(snapshot, holds)) break;
      if (round === MAX_LEDGER_ROUNDS - 1) {
        throw new ConcurrentModificationError('The reservation ledger');
      }
    }
    await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: { PK: reservationPk(hold.reservationId), SK: RESERVATION_SK },
          UpdateExpression: 'SET #status = :status, updated_at = :now',
          ConditionExpression: 'attribute_exists(PK) AND #status <> :ended',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':ended': 'ended',
            ':now': nowSeconds(this.clock),
          },
        }),
      ),
      null,
    );
  }
}
