import { padNumber } from '../keys/item-keys';

/** The capacity ledger: one item holding every live reservation's hold (see README). */
export const LEDGER_KEY = { PK: 'RESERVATIONS', SK: 'LEDGER' } as const;

/** Sort key of a reservation item. */
export const RESERVATION_SK = 'META';

/** TypeIndex partition listing every reservation, sort key `<startsAt>#<id>`. */
export const RESERVATION_TYPE_PK = 'RESERVATION';

export function reservationPk(reservationId: string): string {
  return `RSV#${reservationId}`;
}

export function reservationTypeSk(startsAt: number, reservationId: string): string {
  return `${padNumber(startsAt, 10)}#${reservationId}`;
}

/**
 * TypeIndex partition of a reservation's earmarked sandboxes: sandbox rows in `reserved` carry
 * `type_pk = RSVSBX#<reservationId>`, `type_sk = <name>#<sandboxId>` (their status_sk), so the
 * class's allocations and the release job find them with one Query, never a scan.
 */
export function earmarkTypePk(reservationId: string): string {
  return `RSVSBX#${reservationId}`;
}
