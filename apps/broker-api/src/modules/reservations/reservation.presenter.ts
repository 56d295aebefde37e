import type { CapacityForecast, Reservation } from '@broker/domain';
import type { CapacityDto, ReservationDto } from './dto/reservation.dto';

export function toReservationDto(r: Reservation): ReservationDto {
  return {
    reservation_id: r.reservationId,
    track: r.track,
    count: r.count,
    starts_at: r.startsAt,
    ends_at: r.endsAt,
    name_prefix: r.namePrefix,
    status: r.status,
    earmark_at: r.earmarkAt,
    release_at: r.releaseAt,
    release_unclaimed_after_minutes: Math.round(r.releaseUnclaimedAfterSeconds / 60),
    held: r.held,
    allocated: r.allocated,
    remaining: r.remaining,
    created_at: r.createdAt,
    created_by: r.createdBy,
    updated_at: r.updatedAt,
  };
}

export function toCapacityDto(forecast: CapacityForecast, until: number): CapacityDto {
  const windows = forecast.windows.map((w) => ({
    reservation_id: w.reservationId,
    track: w.track,
    name_prefix: w.namePrefix,
    starts_at: w.startsAt,
    ends_at: w.endsAt,
    outstanding: w.outstanding,
    cumulative: w.cumulative,
    shortfall: w.shortfall,
    summary:
      w.shortfall > 0
        ? `short by ${w.shortfall} for track ${w.track} at ${iso(w.startsAt)}`
        : `covered for track ${w.track} at ${iso(w.startsAt)}`,
  }));
  const last = windows[windows.length - 1];
  return {
    name_prefix: forecast.namePrefix,
    available: forecast.available,
    reserved: forecast.reserved,
    held: forecast.held,
    shortfall: last?.shortfall ?? 0,
    until,
    windows,
  };
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
