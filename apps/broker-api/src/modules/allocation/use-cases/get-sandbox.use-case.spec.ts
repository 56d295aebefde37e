import { DEFAULT_LEASE_POLICY, NotSandboxOwnerError, SandboxNotFoundError } from '@broker/domain';
import { aProviderPool, FixedClock, InMemorySandboxRepository } from '@broker/domain/testing';
import { GetSandboxUseCase } from './get-sandbox.use-case';
import { ReleaseSandboxUseCase } from './release-sandbox.use-case';

describe('GetSandboxUseCase', () => {
  const repository = new InMemorySandboxRepository({
    clock: new FixedClock(),
    lease: DEFAULT_LEASE_POLICY,
  });
  const useCase = new GetSandboxUseCase(repository);
  const [first, second] = aProviderPool(2, 'lab-unit-');

  beforeAll(() => {
    repository.seed([first!, second!]);
  });

  it('returns the sandbox to its owner, also after release', async () => {
    const { sandbox } = await repository.allocate({ studentId: 'ann', idempotencyKey: 'ann' });
    await expect(useCase.execute(sandbox.sandboxId, 'ann')).resolves.toMatchObject({
      status: 'allocated',
    });
    await new ReleaseSandboxUseCase(repository).execute(sandbox.sandboxId, 'ann');
    await expect(useCase.execute(sandbox.sandboxId, 'ann')).resolves.toMatchObject({
      status: 'pending_deletion',
      ownerId: 'ann',
    });
    await expect(useCase.execute(sandbox.sandboxId, 'bob')).rejects.toBeInstanceOf(
      NotSandboxOwnerError,
    );
  });

  it('refuses never-allocated sandboxes and unknown ids', async () => {
    const available = repository.snapshot().find((row) => row.status === 'available')!;
    expect(available).toBeDefined();
    await expect(useCase.execute(available.sandboxId, 'ann')).rejects.toBeInstanceOf(
      NotSandboxOwnerError,
    );
    await expect(useCase.execute('404', 'ann')).rejects.toBeInstanceOf(SandboxNotFoundError);
  });
});
