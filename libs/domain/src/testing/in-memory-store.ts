import { InMemorySandboxEventLog } from './in-memory-event-log';
import type { LeasePolicy } from '../allocation/lease-policy';
import type { Clock } from '../ports/clock';
import type { SandboxStore } from '../ports/sandbox-store';
import { InMemoryActivityStatsRepository } from './in-memory-activity-stats.repository';
import { InMemorySandboxAdminRepository } from './in-memory-admin.repository';
import { InMemoryConsoleSessionRepository } from './in-memory-console-session.repository';
import { InMemoryJobLeaseRepository } from './in-memory-job-lease.repository';
import { InMemoryJobRunRepository } from './in-memory-job-run.repository';
import { InMemoryLifecycleRepository } from './in-memory-lifecycle.repository';
import { InMemoryRows } from './in-memory-rows';
import { InMemoryReservations } from './in-memory-reservations';
import { InMemorySandboxRepository } from './in-memory-sandbox.repository';
import { InMemoryTrackQuotaRepository } from './in-memory-track-quotas';

/** The in-memory store with its concrete parts (tests reach their helpers: seed, snapshot, …). */
export interface InMemoryStore extends SandboxStore {
  readonly rows: InMemoryRows;
  readonly sandboxes: InMemorySandboxRepository;
  readonly lifecycle: InMemoryLifecycleRepository;
  readonly admin: InMemorySandboxAdminRepository;
  readonly events: InMemorySandboxEventLog;
  readonly leases: InMemoryJobLeaseRepository;
  readonly runs: InMemoryJobRunRepository;
  readonly sessions: InMemoryConsoleSessionRepository;
  readonly activity: InMemoryActivityStatsRepository;
  readonly quotas: InMemoryTrackQuotaRepository;
  readonly reservations: InMemoryReservations;
  readonly reservationLifecycle: InMemoryReservations;
}

/** Every part of the SandboxStore port over one set of in-memory rows (tests, demos). */
export function createInMemoryStore(options: {
  readonly clock: Clock;
  readonly lease: LeasePolicy;
}): InMemoryStore {
  const { clock, lease } = options;
  const rows = new InMemoryRows(clock);
  const sandboxes = new InMemorySandboxRepository({ clock, lease, rows });
  const activity = new InMemoryActivityStatsRepository();
  const events = new InMemorySandboxEventLog(clock, undefined, activity);
  const reservations = new InMemoryReservations(rows, clock);
  return {
    rows,
    sandboxes,
    lifecycle: new InMemoryLifecycleRepository(rows, clock),
    admin: new InMemorySandboxAdminRepository(rows, clock),
    events,
    leases: new InMemoryJobLeaseRepository(clock),
    runs: new InMemoryJobRunRepository(),
    sessions: new InMemoryConsoleSessionRepository(),
    activity,
    quotas: new InMemoryTrackQuotaRepository(rows, clock),
    reservations,
    reservationLifecycle: reservations,
    ping: () => Promise.resolve(),
    dispose: () => events.flush(),
  };
}
