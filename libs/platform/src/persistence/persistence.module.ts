import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  ACTIVITY_STATS_REPOSITORY,
  CLOCK,
  type Clock,
  CONSOLE_SESSION_REPOSITORY,
  JOB_LEASE_REPOSITORY,
  JOB_RUN_REPOSITORY,
  RESERVATION_LIFECYCLE_REPOSITORY,
  RESERVATION_REPOSITORY,
  type LeasePolicy,
  SANDBOX_ADMIN_REPOSITORY,
  SANDBOX_ALLOCATION_REPOSITORY,
  SANDBOX_EVENT_LOG,
  SANDBOX_LIFECYCLE_REPOSITORY,
  SANDBOX_READ_REPOSITORY,
  SANDBOX_RELEASE_REPOSITORY,
  SANDBOX_EXTENSION_REPOSITORY,
  SANDBOX_STORE,
  type SandboxStore,
  systemClock,
} from '@broker/domain';
import { LEASE_POLICY, PERSISTENCE_CONFIG } from './persistence.tokens';
import type { PersistenceConfig } from './persistence-config';
import { RepositoryHealthIndicator } from './repository.health';

/** What a store factory gets: the typed settings, the clock and the lease policy. */
export interface StoreFactoryContext {
  readonly config: PersistenceConfig;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
}

export interface PersistenceModuleOptions {
  readonly config: PersistenceConfig;
  /**
   * Opens the store. Apps pass `createDynamoStore` (libs/dynamo-repo); this lib stays free of
   * data-access imports (module boundaries: a util may not depend on data-access), and tests
   * may pass `createInMemoryStore` (@broker/domain/testing).
   */
  readonly createStore: (context: StoreFactoryContext) => SandboxStore;
  /** Defaults to the system clock. */
  readonly clock?: Clock;
}

/** Each port token, resolved to its part of the one store. */
const PARTS: ReadonlyArray<readonly [symbol, (store: SandboxStore) => unknown]> = [
  [SANDBOX_ALLOCATION_REPOSITORY, (store) => store.sandboxes],
  [SANDBOX_READ_REPOSITORY, (store) => store.sandboxes],
  [SANDBOX_RELEASE_REPOSITORY, (store) => store.sandboxes],
  [SANDBOX_EXTENSION_REPOSITORY, (store) => store.sandboxes],
  [SANDBOX_LIFECYCLE_REPOSITORY, (store) => store.lifecycle],
  [SANDBOX_ADMIN_REPOSITORY, (store) => store.admin],
  [SANDBOX_EVENT_LOG, (store) => store.events],
  [JOB_LEASE_REPOSITORY, (store) => store.leases],
  [JOB_RUN_REPOSITORY, (store) => store.runs],
  [CONSOLE_SESSION_REPOSITORY, (store) => store.sessions],
  [ACTIVITY_STATS_REPOSITORY, (store) => store.activity],
  [RESERVATION_REPOSITORY, (store) => store.reservations],
  [RESERVATION_LIFECYCLE_REPOSITORY, (store) => store.reservationLifecycle],
];

/**
 * Global module that opens the store once and provides it (SANDBOX_STORE), each of its parts
 * under its port token, CLOCK, LEASE_POLICY, the persistence config and the readiness indicator.
 * At shutdown it disposes the store (the event log's buffer is written first).
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(SANDBOX_STORE) private readonly store: SandboxStore) {}

  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    const clock = options.clock ?? systemClock;
    const parts = PARTS.map(([token, part]) => ({
      provide: token,
      useFactory: part,
      inject: [SANDBOX_STORE],
    }));
    return {
      module: PersistenceModule,
      imports: [TerminusModule],
      providers: [
        { provide: PERSISTENCE_CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: clock },
        { provide: LEASE_POLICY, useValue: options.config.lease },
        {
          provide: SANDBOX_STORE,
          useFactory: (): SandboxStore =>
            options.createStore({ config: options.config, clock, lease: options.config.lease }),
        },
        ...parts,
        RepositoryHealthIndicator,
      ],
      exports: [
        SANDBOX_STORE,
        ...PARTS.map(([token]) => token),
        PERSISTENCE_CONFIG,
        CLOCK,
        LEASE_POLICY,
        RepositoryHealthIndicator,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.dispose();
  }
}
