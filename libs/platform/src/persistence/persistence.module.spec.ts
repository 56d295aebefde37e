import { Controller, Get, Inject } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CLOCK,
  type Clock,
  SANDBOX_READ_REPOSITORY,
  type SandboxReadRepository,
  type SandboxStore,
  systemClock,
} from '@broker/domain';
import { createInMemoryStore, FixedClock } from '@broker/domain/testing';
import { validateEnv } from '../config/validate-env';
import { PersistenceEnv } from '../config/base-env';
import { persistenceConfigFromEnv } from './persistence-config';
import { PersistenceModule } from './persistence.module';
import { LEASE_POLICY } from './persistence.tokens';
import { RepositoryHealthIndicator } from './repository.health';

@Controller()
class ConsumerController {
  constructor(@Inject(SANDBOX_READ_REPOSITORY) readonly repository: SandboxReadRepository) {}

  @Get()
  noop(): void {}
}

describe('persistenceConfigFromEnv', () => {
  it('derives the lease policy and local endpoint settings', () => {
    const env = validateEnv(PersistenceEnv, {
      DDB_ENDPOINT_URL: 'http://127.0.0.1:8000',
      LAB_DURATION_HOURS: '2',
      GRACE_PERIOD_MINUTES: '5',
    });
    expect(persistenceConfigFromEnv(env)).toEqual({
      tableName: 'sandbox-broker',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:8000',
      lease: { leaseSeconds: 7200, graceSeconds: 300 },
      pingTimeoutMs: 1000,
      requestTimeoutMs: 3000,
      connectTimeoutMs: 1000,
      maxAttempts: 3,
      callBudgetMs: 5000,
    });
  });

  it('refuses half of a credential pair', () => {
    const env = validateEnv(PersistenceEnv, { AWS_ACCESS_KEY_ID: 'AKIA' });
    expect(() => persistenceConfigFromEnv(env)).toThrow(/must be set together/);
  });
});

describe('PersistenceModule', () => {
  const config = persistenceConfigFromEnv(
    validateEnv(PersistenceEnv, { DDB_PING_TIMEOUT_MS: '100' }),
  );

  async function build(store: SandboxStore, dispose = jest.fn(), clock?: Clock) {
    const createRepository = jest.fn(() => ({ ...store, dispose }));
    const moduleRef = await Test.createTestingModule({
      imports: [
        PersistenceModule.forRoot({
          config,
          createStore: createRepository,
          ...(clock ? { clock } : {}),
        }),
      ],
      controllers: [ConsumerController],
    }).compile();
    return { moduleRef, createRepository, dispose };
  }

  it('provides the repository, clock and lease to the whole app and disposes at shutdown', async () => {
    const clock = new FixedClock();
    const store = createInMemoryStore({ clock, lease: config.lease });
    const { moduleRef, createRepository, dispose } = await build(store, jest.fn(), clock);
    expect(moduleRef.get(ConsumerController).repository).toBe(store.sandboxes);
    expect(moduleRef.get(CLOCK)).toBe(clock);
    expect(moduleRef.get(LEASE_POLICY)).toEqual({ leaseSeconds: 48 * 3600, graceSeconds: 1800 });
    expect(createRepository).toHaveBeenCalledWith({ config, clock, lease: config.lease });
    await moduleRef.close();
    expect(dispose).toHaveBeenCalledTimes(1);
  });

  it('reports the store up when ping answers', async () => {
    const store = createInMemoryStore({ clock: systemClock, lease: config.lease });
    const { moduleRef } = await build(store);
    await expect(moduleRef.get(RepositoryHealthIndicator).check()).resolves.toEqual({
      dynamodb: { status: 'up' },
    });
    await moduleRef.close();
  });

  it('reports down, without engine detail, when ping fails or hangs past the timeout', async () => {
    const failing = { ping: () => Promise.reject(new Error('ECONNREFUSED 10.1.2.3')) };
    const hanging = { ping: () => new Promise<void>(() => undefined) };
    for (const [stub, message] of [
      [failing, 'unreachable'],
      [hanging, 'no answer within 100 ms'],
    ] as const) {
      const { moduleRef } = await build(stub as unknown as SandboxStore);
      await expect(moduleRef.get(RepositoryHealthIndicator).check()).resolves.toEqual({
        dynamodb: { status: 'down', message },
      });
      await moduleRef.close();
    }
  });
});
