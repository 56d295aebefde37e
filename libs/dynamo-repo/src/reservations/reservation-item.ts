import type { Reservation, ReservationHold } from '@broker/domain';
import type { StoredHold } from './reservation-ledger';
import {
  RESERVATION_SK,
  RESERVATION_TYPE_PK,
  reservationPk,
  reservationTypeSk,
} from './reservation-keys';

/** A reservation item as stored: its hold's fields, status, and the `allocated` counter. */
export interface ReservationItem extends StoredHold {
  PK: string;
  SK: string;
  reservation_id: string;
  updated_at: number;
  allocated?: number;
  cancelled_by?: string;
  type_pk: string;
  type_sk: string;
}

export function newReservationItem(
  reservationId: string,
  hold: StoredHold,
  now: number,
): ReservationItem {
  return {
    PK: reservationPk(reservationId),
    SK: RESERVATION_SK,
    reservation_id: reservationId,
    ...hold,
    updated_at: now,
    allocated: 0,
    type_pk: RESERVATION_TYPE_PK,
    type_sk: reservationTypeSk(hold.starts_at, reservationId),
  };
}

/** The API's view of an item, with `held` counted from the index. */
export function toReservation(item: Record<string, unknown>, held: number): Reservation {
  const r = item as unknown as ReservationItem;
  const status = r.status;
  const allocated = r.allocated ?? 0;
  return {
    reservationId: r.reservation_id,
    track: r.track,
    namePrefix: r.name_prefix,
    count: r.count,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    earmarkAt: r.earmark_at,
    releaseAt: r.release_at,
    status,
    releaseUnclaimedAfterSeconds: r.release_unclaimed_after,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    held,
    allocated,
    remaining: status === 'confirmed' ? Math.max(0, r.count - allocated) : 0,
  };
}

export function storedHoldOf(hold: ReservationHold, rest: StoredHold): StoredHold {
  return {
    ...rest,
    track: hold.track,
    name_prefix: hold.namePrefix,
    count: hold.count,
    starts_at: hold.startsAt,
    ends_at: hold.endsAt,
    earmark_at: hold.earmarkAt,
    release_at: hold.releaseAt,
    status: hold.status,
  };
}
