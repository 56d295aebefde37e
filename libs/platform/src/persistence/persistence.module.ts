import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  CLOCK,
  type Clock,
  InMemorySandboxEventLog,
  type JobLeaseRepository,
  type JobRunRepository,
  type SandboxAdminRepository,
  type SandboxLifecycleRepository,
  SANDBOX_EVENT_LOG,
  SANDBOX_REPOSITORY,
  type SandboxEventLog,
  type SandboxRepository,
  systemClock,
} from '@broker/domain';
import type { LeasePolicy } from '@broker/domain';
import { LEASE_POLICY, PERSISTENCE_CONFIG } from './persistence.tokens';
import type { PersistenceConfig } from './persistence-config';
import { RepositoryHealthIndicator } from './repository.health';

/** What a repository factory gets: the typed settings, the clock and the lease policy. */
export interface RepositoryFactoryContext {
  readonly config: PersistenceConfig;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
}

/** A repository plus how to release its resources (SDK sockets) at shutdown. */
export interface RepositoryHandle {
  readonly repository: SandboxRepository;
  /** The audit log over the same store; without one, a bounded in-process log (dev and tests). */
  readonly eventLog?: SandboxEventLog;
  /** Operator listing, stats and repairs (the API's admin module). */
  readonly admin?: SandboxAdminRepository;
  /** What the API's admin job triggers write through (the worker builds its own). */
  readonly jobStorage?: {
    readonly lifecycle: SandboxLifecycleRepository;
    readonly leases: JobLeaseRepository;
    readonly runs: JobRunRepository;
  };
  readonly dispose?: () => void | Promise<void>;
}

export interface PersistenceModuleOptions {
  readonly config: PersistenceConfig;
  /**
   * Builds the repository. Apps pass the DynamoDB one (libs/dynamo-repo); this lib stays free of
   * data-access imports (module boundaries: util may not depend on data-access).
   */
  readonly createRepository: (context: RepositoryFactoryContext) => RepositoryHandle;
  /** Defaults to the system clock. */
  readonly clock?: Clock;
}

/** The whole handle, for modules that need more than the pool (admin job triggers). */
export const REPOSITORY_HANDLE = Symbol.for('broker.RepositoryHandle');

/**
 * Global module providing SANDBOX_REPOSITORY, SANDBOX_EVENT_LOG, CLOCK, LEASE_POLICY, the persistence config and the
 * repository readiness indicator.
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(REPOSITORY_HANDLE) private readonly handle: RepositoryHandle) {}

  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    const clock = options.clock ?? systemClock;
    return {
      module: PersistenceModule,
      imports: [TerminusModule],
      providers: [
        { provide: PERSISTENCE_CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: clock },
        { provide: LEASE_POLICY, useValue: options.config.lease },
        {
          provide: REPOSITORY_HANDLE,
          useFactory: (): RepositoryHandle =>
            options.createRepository({
              config: options.config,
              clock,
              lease: options.config.lease,
            }),
        },
        {
          provide: SANDBOX_REPOSITORY,
          useFactory: (handle: RepositoryHandle): SandboxRepository => handle.repository,
          inject: [REPOSITORY_HANDLE],
        },
        {
          provide: SANDBOX_EVENT_LOG,
          useFactory: (handle: RepositoryHandle): SandboxEventLog =>
            handle.eventLog ?? new InMemorySandboxEventLog(clock),
          inject: [REPOSITORY_HANDLE],
        },
        RepositoryHealthIndicator,
      ],
      exports: [
        REPOSITORY_HANDLE,
        SANDBOX_EVENT_LOG,
        PERSISTENCE_CONFIG,
        CLOCK,
        LEASE_POLICY,
        SANDBOX_REPOSITORY,
        RepositoryHealthIndicator,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    // Buffered events first, while the client still exists.
    await this.handle.eventLog?.flush();
    await this.handle.dispose?.();
  }
}
