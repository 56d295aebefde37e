import type { ActivityStatsRepository } from './activity-stats-repository';
import type { ConsoleSessionRepository } from './console-session-repository';
import type { JobLeaseRepository } from './job-lease-repository';
import type { JobRunRepository } from './job-run-repository';
import type { SandboxAdminRepository } from './sandbox-admin-repository';
import type { SandboxEventLog } from './sandbox-event-log';
import type { SandboxLifecycleRepository } from './sandbox-lifecycle-repository';
import type { SandboxRepository, StoreHealth } from './sandbox-repository';
import type { TrackQuotaRepository } from './track-quota-repository';
import type {
  ReservationLifecycleRepository,
  ReservationRepository,
} from './reservation-repository';

/**
 * Everything the broker keeps, over one store: what `createDynamoStore` (libs/dynamo-repo) and
 * `createInMemoryStore` (@broker/domain/testing) return, complete and typed, for the API and the
 * worker alike. Every part writes the same rows; `dispose` flushes the event log's buffer and
 * releases the store's connections (call it once, at shutdown).
 */
export interface SandboxStore extends StoreHealth {
  /** Sandbox rows and allocation claims: allocate, read, release, sync, claim repair. */
  readonly sandboxes: SandboxRepository;
  /** The background jobs' transitions (expiry, stale marking and purge, deletion). */
  readonly lifecycle: SandboxLifecycleRepository;
  /** Operator listing, stats and repairs. */
  readonly admin: SandboxAdminRepository;
  readonly events: SandboxEventLog;
  readonly leases: JobLeaseRepository;
  readonly runs: JobRunRepository;
  /** Console sign-in sessions (digests only, TTL-expired). */
  readonly sessions: ConsoleSessionRepository;
  /** Hourly allocation and cleanup counters, the per-track snapshot (console charts). */
  readonly activity: ActivityStatsRepository;
  /** Per-track quotas: operator settings and the counters allocation and release keep. */
  readonly quotas: TrackQuotaRepository;
  /** Class reservations: bookings with their capacity check, and the reservation job's writes. */
  readonly reservations: ReservationRepository;
  readonly reservationLifecycle: ReservationLifecycleRepository;
  dispose(): Promise<void>;
}

export const SANDBOX_STORE = Symbol.for('broker.SandboxStore');
