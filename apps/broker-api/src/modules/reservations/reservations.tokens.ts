/** The API's reservation settings (ReservationSettings of api-config). */
export const RESERVATION_SETTINGS = Symbol.for('broker.api.ReservationSettings');
