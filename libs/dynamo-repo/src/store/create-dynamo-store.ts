import { type Clock, type LeasePolicy, type SandboxStore, systemClock } from '@broker/domain';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoSandboxAdminRepository } from '../admin/dynamo-sandbox-admin.repository';
import type { CandidatePoolOptions } from '../allocation/candidate-pool';
import {
  createDocumentClient,
  type DocumentClientConfig,
  lowLevelClientOf,
} from '../client/document-client';
import { DynamoActivityStatsRepository } from '../console/dynamo-activity-stats.repository';
import { DynamoConsoleSessionRepository } from '../console/dynamo-console-session.repository';
import { DynamoSandboxEventLog } from '../events/dynamo-sandbox-event-log';
import { DynamoJobLeaseRepository } from '../lifecycle/dynamo-job-lease.repository';
import { DynamoJobRunRepository } from '../lifecycle/dynamo-job-run.repository';
import { DynamoLifecycleRepository } from '../lifecycle/dynamo-lifecycle.repository';
import { DynamoTrackQuotas } from '../quota/dynamo-track-quotas';
import { DynamoSandboxRepository } from '../repository/dynamo-sandbox.repository';
import { TransitionWriter } from '../transitions/transition-writer';
import { DynamoReservationLifecycle } from '../reservations/dynamo-reservation-lifecycle';
import { DynamoReservations } from '../reservations/dynamo-reservations';
import { EarmarkedDraw } from '../reservations/earmarked-draw';

/** Where the table is and the lease rules (the platform's PersistenceConfig has this shape). */
export interface DynamoStoreConfig extends DocumentClientConfig {
  readonly tableName: string;
  readonly lease: LeasePolicy;
}

export interface DynamoStoreOptions {
  /** Defaults to the system clock. */
  readonly clock?: Clock;
  /** Share an existing client (tests, several stores on one engine); not destroyed by dispose. */
  readonly client?: DynamoDBDocumentClient;
  readonly candidatePool?: Partial<CandidatePoolOptions>;
  /** A candidate was lost to a concurrent allocation (`broker_allocate_conflicts_total`). */
  readonly onAllocationContention?: () => void;
  /** How long a process trusts "track has no quota" (ms, default 5000; 0: always ask). */
  readonly quotaPresenceTtlMs?: number;
  /** How old the allocation path's copy of the reservation ledger may get (ms, default 5000). */
  readonly reservationRefreshMs?: number;
}

/** The DynamoDB store, plus the document client its parts share. */
export interface DynamoStore extends SandboxStore {
  readonly client: DynamoDBDocumentClient;
}

/**
 * The one way the apps open the table: every part of the SandboxStore port over one client (one
 * socket pool), DynamoDB or a local engine when `endpoint` is set. `dispose` writes the event
 * log's buffer, then closes the client it created.
 */
export function createDynamoStore(
  config: DynamoStoreConfig,
  options: DynamoStoreOptions = {},
): DynamoStore {
  const client = options.client ?? createDocumentClient(config);
  const clock = options.clock ?? systemClock;
  const { tableName, lease } = config;
  // One status writer for every part (sandboxes, lifecycle, admin).
  const writer = new TransitionWriter(lowLevelClientOf(client), tableName, clock);
  const table = { client, fast: lowLevelClientOf(client), tableName };
  const earmarked = new EarmarkedDraw(table, clock, {
    ...(options.reservationRefreshMs !== undefined
      ? { refreshMs: options.reservationRefreshMs }
      : {}),
  });
  const quotas = new DynamoTrackQuotas({
    table,
    clock,
    ...(options.quotaPresenceTtlMs !== undefined
      ? { presenceTtlMs: options.quotaPresenceTtlMs }
      : {}),
  });
  // Every write that ends a holding gives its track's quota unit back.
  writer.onLeftAllocated((track) => quotas.release(track));
  const sandboxes = new DynamoSandboxRepository({
    client,
    tableName,
    clock,
    lease,
    writer,
    quota: quotas,
    earmarked,
    ...(options.candidatePool ? { candidatePool: options.candidatePool } : {}),
    ...(options.onAllocationContention ? { onContention: options.onAllocationContention } : {}),
  });
  const activity = new DynamoActivityStatsRepository({ client, tableName });
  const events = new DynamoSandboxEventLog({ client, tableName, clock, activity });
  return {
    client,
    sandboxes,
    lifecycle: new DynamoLifecycleRepository({ client, tableName, clock, writer }),
    admin: new DynamoSandboxAdminRepository({ client, tableName, clock, pool: sandboxes, writer }),
    events,
    leases: new DynamoJobLeaseRepository({ client, tableName, clock }),
    runs: new DynamoJobRunRepository({ client, tableName, clock }),
    sessions: new DynamoConsoleSessionRepository({ client, tableName }),
    activity,
    quotas,
    reservations: new DynamoReservations(table, clock),
    reservationLifecycle: new DynamoReservationLifecycle(table, writer, clock),
    ping: () => sandboxes.ping(),
    dispose: async () => {
      await events.flush();
      if (!options.client) client.destroy();
    },
  };
}
