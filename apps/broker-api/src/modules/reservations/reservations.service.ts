import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  type EventActor,
  InvalidReservationWindowError,
  nowSeconds,
  type Page,
  type Reservation,
  RESERVATION_LIFECYCLE_REPOSITORY,
  RESERVATION_REPOSITORY,
  type ReservationLifecycleRepository,
  type ReservationRepository,
  ReservationNotFoundError,
  SANDBOX_EVENT_LOG,
  type SandboxEventLog,
  SandboxStatus,
  transitionEvent,
} from '@broker/domain';
import type { ReservationSettings } from '../../config/api-config';
import type { CreateReservationDto } from './dto/create-reservation.dto';
import type { ListReservationsQueryDto } from './dto/list-reservations-query.dto';
import { RESERVATION_SETTINGS } from './reservations.tokens';

/** Who acts: the admin token's name and the request id, for the event log. */
export interface ReservationActor {
  readonly tokenName: string;
  readonly requestId?: string | undefined;
}

/** Earmarked sandboxes a cancel gives back inline; the reservation job gives back the rest. */
const INLINE_RELEASE_LIMIT = 500;
const DEFAULT_LIMIT = 50;

/** The admin reservation use cases: input rules the DTO cannot check, the store, the events. */
@Injectable()
export class ReservationsService {
  private readonly logger = new Logger(ReservationsService.name);

  constructor(
    @Inject(RESERVATION_REPOSITORY) private readonly reservations: ReservationRepository,
    @Inject(RESERVATION_LIFECYCLE_REPOSITORY)
    private readonly lifecycle: ReservationLifecycleRepository,
    @Inject(SANDBOX_EVENT_LOG) private readonly events: SandboxEventLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RESERVATION_SETTINGS) private readonly settings: ReservationSettings,
  ) {}

  /** Throws InvalidReservationWindowError (400) or InsufficientCapacityError (409). */
  async create(body: CreateReservationDto, actor: ReservationActor): Promise<Reservation> {
    const now = nowSeconds(this.clock);
    if (body.ends_at <= body.starts_at) {
      throw new InvalidReservationWindowError('ends_at must be after starts_at');
    }
    if (body.ends_at <= now) {
      throw new InvalidReservationWindowError('The window lies wholly in the past');
    }
    const reservation = await this.reservations.create({
      track: body.track,
      count: body.count,
      startsAt: body.starts_at,
      endsAt: body.ends_at,
      namePrefix: body.name_prefix ?? '',
      leadSeconds: this.settings.leadSeconds,
      releaseUnclaimedAfterSeconds:
        body.release_unclaimed_after_minutes !== undefined
          ? body.release_unclaimed_after_minutes * 60
          : this.settings.releaseUnclaimedAfterSeconds,
      createdBy: actor.tokenName,
    });
    this.record(actor, 'reservation_created', reservation, {});
    return reservation;
  }

  async get(reservationId: string): Promise<Reservation> {
    const reservation = await this.reservations.get(reservationId);
    if (!reservation) throw new ReservationNotFoundError(reservationId);
    return reservation;
  }

  list(query: ListReservationsQueryDto): Promise<Page<Reservation>> {
    return this.reservations.list({
      track: query.track,
      status: query.status,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
    });
  }

  /**
   * Cancel, then give earmarked sandboxes back inline (best effort, bounded): the reservation job
   * gives back whatever is left and clears the hold, so a failure here loses nothing.
   */
  async cancel(reservationId: string, actor: ReservationActor): Promise<Reservation> {
    const before = await this.reservations.get(reservationId);
    const cancelled = await this.reservations.cancel(reservationId, actor.tokenName);
    if (before?.status === 'confirmed') {
      const released = await this.releaseInline(reservationId, actor);
      this.record(actor, 'reservation_cancelled', cancelled, { released });
      return (await this.reservations.get(reservationId)) ?? cancelled;
    }
    return cancelled;
  }

  async resize(
    reservationId: string,
    count: number,
    actor: ReservationActor,
  ): Promise<Reservation> {
    const before = await this.get(reservationId);
    const resized = await this.reservations.resize(reservationId, count);
    if (before.count !== resized.count) {
      this.record(actor, 'reservation_resized', resized, { from_count: before.count });
    }
    return resized;
  }

  private async releaseInline(reservationId: string, actor: ReservationActor): Promise<number> {
    let released = 0;
    try {
      const ids = await this.lifecycle.earmarked(reservationId, INLINE_RELEASE_LIMIT);
      for (const sandboxId of ids) {
        if (!(await this.lifecycle.releaseSandbox(reservationId, sandboxId))) continue;
        released += 1;
        this.events.record(
          transitionEvent({
            sandboxId,
            from: SandboxStatus.Reserved,
            to: SandboxStatus.Available,
            actor: this.actorOf(actor),
            action: 'release_cancelled',
            requestId: actor.requestId,
            details: { reservation_id: reservationId },
          }),
        );
      }
    } catch (error) {
      this.logger.warn(
        `inline release of reservation ${reservationId} stopped; the reservation job finishes it: ${String(error)}`,
      );
    }
    return released;
  }

  private record(
    actor: ReservationActor,
    action: string,
    r: Reservation,
    extra: Record<string, number>,
  ): void {
    this.events.record({
      type: 'admin_action',
      sandboxId: null,
      actor: this.actorOf(actor),
      action,
      ...(actor.requestId ? { requestId: actor.requestId } : {}),
      details: {
        reservation_id: r.reservationId,
        track: r.track,
        count: r.count,
        starts_at: r.startsAt,
        ends_at: r.endsAt,
        name_prefix: r.namePrefix,
        ...extra,
      },
    });
  }

  private actorOf(actor: ReservationActor): EventActor {
    return { kind: 'admin', id: actor.tokenName };
  }
}
