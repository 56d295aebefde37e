import {
  type Clock,
  holdPhase,
  nowSeconds,
  type ReservationHold,
  type ReservationLifecycleRepository,
  type SandboxEventLog,
  SandboxStatus,
} from '@broker/domain';
import { recordJobTransition } from '../events/job-events';
import {
  errorText,
  silentJobLogger,
  type Job,
  type JobContext,
  type JobLogger,
} from '../runner/job';

export interface ReservationJobResult {
  holds: number;
  earmarked: number;
  released: number;
  ended: number;
  /** Seats the job could not earmark for lack of stock (summed over reservations). */
  short: number;
  failed: number;
}

export interface ReservationJobDeps {
  readonly reservations: ReservationLifecycleRepository;
  readonly clock: Clock;
  readonly logger?: JobLogger;
  /** Audit trail: each earmark and give-back, and a reservation's end or shortage. */
  readonly events?: SandboxEventLog;
}

/** Earmarked sandboxes given back per reservation and run at most (the next run continues). */
const MAX_RELEASE_PER_RUN = 2_000;

/**
 * The reservation lifecycle, driven by the ledger (one read, no scan), per hold:
 * - before `earmarkAt`: nothing;
 * - `[earmarkAt, releaseAt)`: top up the earmarked set to `count − allocated` from available
 *   stock (this also replaces an earmarked sandbox sync found vanished), give back any excess
 *   after a shrink; a shortage is logged and recorded once per change;
 * - from `releaseAt` (`starts_at + release_unclaimed_after`, or `ends_at`): give back every
 *   unclaimed earmarked sandbox;
 * - cancelled or past `ends_at`: give back everything, then clear the hold from the ledger
 *   (status `ended` or `cancelled`).
 * Every write is conditional (available → reserved, reserved-for-this-reservation → available), so
 * two workers, or a run racing the API's inline release on cancel, never double-count; the job
 * also runs under its DynamoDB lease like every other job.
 */
export class ReservationJob implements Job<ReservationJobResult> {
  readonly name = 'reservations' as const;
  private readonly lastShort = new Map<string, number>();

  constructor(private readonly deps: ReservationJobDeps) {}

  async run(ctx: JobContext): Promise<ReservationJobResult> {
    const { reservations, clock } = this.deps;
    const logger = this.deps.logger ?? silentJobLogger;
    const result: ReservationJobResult = {
      holds: 0,
      earmarked: 0,
      released: 0,
      ended: 0,
      short: 0,
      failed: 0,
    };
    const holds = await reservations.holds();
    result.holds = holds.length;
    for (const hold of holds) {
      if (ctx.stop.aborted) break;
      try {
        await this.advance(hold, nowSeconds(clock), result);
      } catch (error) {
        result.failed += 1;
        logger.warn(
          { job: this.name, reservationId: hold.reservationId, err: errorText(error) },
          'reservation step failed; the next run retries it',
        );
      }
    }
    return result;
  }

  private async advance(
    hold: ReservationHold,
    now: number,
    result: ReservationJobResult,
  ): Promise<void> {
    const phase = holdPhase(hold, now);
    if (phase === 'booked') return;
    if (phase === 'earmarking') {
      await this.topUp(hold, result);
      return;
    }
    const reason = phase === 'released' ? 'release_unclaimed' : endReason(hold);
    const left = await this.releaseAll(hold, reason, result);
    if (phase === 'over' && left === 0) {
      const status = hold.status === 'confirmed' ? 'ended' : hold.status;
      await this.deps.reservations.clear(hold, status);
      this.lastShort.delete(hold.reservationId);
      result.ended += 1;
      this.record(hold, `reservation_${status}`, {});
    }
  }

  /** Earmark up to `count − allocated − held`; give back the excess after a shrink. */
  private async topUp(hold: ReservationHold, result: ReservationJobResult): Promise<void> {
    const { reservations } = this.deps;
    const { held, allocated } = await reservations.counts(hold.reservationId);
    const want = Math.max(0, hold.count - allocated) - held;
    if (want < 0) {
      const excess = await reservations.earmarked(hold.reservationId, -want);
      for (const sandboxId of excess) {
        if (await reservations.releaseSandbox(hold.reservationId, sandboxId)) {
          result.released += 1;
          this.recordSandbox(hold, sandboxId, SandboxStatus.Reserved, 'release_excess');
        }
      }
      return;
    }
    const done = want > 0 ? await reservations.earmark(hold, want) : [];
    for (const sandboxId of done) {
      this.recordSandbox(hold, sandboxId, SandboxStatus.Available, 'earmark');
    }
    result.earmarked += done.length;
    const short = want - done.length;
    result.short += short;
    if ((this.lastShort.get(hold.reservationId) ?? 0) !== short) {
      this.lastShort.set(hold.reservationId, short);
      if (short > 0) {
        this.deps.logger?.warn(
          { job: this.name, reservationId: hold.reservationId, short },
          'not enough available sandboxes to earmark the reservation in full',
        );
        this.record(hold, 'reservation_short', { short });
      }
    }
  }

  /** Give back every earmarked sandbox (bounded per run); returns how many may be left. */
  private async releaseAll(
    hold: ReservationHold,
    action: string,
    result: ReservationJobResult,
  ): Promise<number> {
    const { reservations } = this.deps;
    const ids = await reservations.earmarked(hold.reservationId, MAX_RELEASE_PER_RUN);
    let released = 0;
    for (const sandboxId of ids) {
      if (await reservations.releaseSandbox(hold.reservationId, sandboxId)) {
        released += 1;
        this.recordSandbox(hold, sandboxId, SandboxStatus.Reserved, action);
      }
    }
    result.released += released;
    // Anything listed but not released (taken meanwhile, or the index lagging) is re-checked.
    if (ids.length === 0) return 0;
    return (await reservations.counts(hold.reservationId)).held;
  }

  private recordSandbox(
    hold: ReservationHold,
    sandboxId: string,
    from: SandboxStatus,
    action: string,
  ): void {
    recordJobTransition(this.deps.events, this.name, {
      sandboxId,
      from,
      to: from === SandboxStatus.Available ? SandboxStatus.Reserved : SandboxStatus.Available,
      action,
      details: { reservation_id: hold.reservationId, track: hold.track },
    });
  }

  private record(
    hold: ReservationHold,
    action: string,
    details: Record<string, number | string>,
  ): void {
    this.deps.events?.record({
      type: 'admin_action',
      sandboxId: null,
      actor: { kind: 'job', id: this.name },
      action,
      details: { reservation_id: hold.reservationId, track: hold.track, ...details },
    });
  }
}

function endReason(hold: ReservationHold): string {
  return hold.status === 'cancelled' ? 'release_cancelled' : 'release_ended';
}

/** For a storage without reservations (older test harnesses): a run that does nothing. */
export class NoReservationsJob implements Job<null> {
  readonly name = 'reservations' as const;

  run(): Promise<null> {
    return Promise.resolve(null);
  }
}
