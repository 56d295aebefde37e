import { DEFAULT_LEASE_POLICY } from '@broker/domain';
import { InMemorySandboxEventLog } from '@broker/domain/testing';
import { aProviderPool, FixedClock, InMemorySandboxRepository } from '@broker/domain/testing';
import { AllocateSandboxUseCase } from './allocate-sandbox.use-case';
import { ReleaseSandboxUseCase } from './release-sandbox.use-case';

describe('allocation use-cases record events', () => {
  const clock = new FixedClock();
  const repository = new InMemorySandboxRepository({ clock, lease: DEFAULT_LEASE_POLICY });
  const events = new InMemorySandboxEventLog(clock);
  const allocate = new AllocateSandboxUseCase(repository, undefined, events);
  const release = new ReleaseSandboxUseCase(repository, undefined, events);

  beforeAll(() => repository.seed(aProviderPool(2, 'lab-ev-')));

  it('records a new allocation once, not its idempotent repeat', async () => {
    const request = { studentId: 'ann', idempotencyKey: 'ann', trackName: 'lab-1' };
    const first = await allocate.execute(request, 'req-1', 'lab-a');
    const repeat = await allocate.execute(request, 'req-2', 'lab-a');
    expect(repeat.created).toBe(false);
    expect(events.all()).toEqual([
      {
        eventId: expect.any(String) as string,
        atMs: clock.nowMs(),
        type: 'transition',
        sandboxId: first.sandbox.sandboxId,
        from: 'available',
        to: 'allocated',
        actor: { kind: 'student', id: 'ann', via: 'lab-a' },
        action: 'allocate',
        requestId: 'req-1',
        details: { track: 'lab-1' },
      },
    ]);
  });

  it('records a release that changed the row, not its repeat', async () => {
    const { sandbox } = await allocate.execute({ studentId: 'bob', idempotencyKey: 'bob' });
    const before = events.all().length;
    await release.execute(sandbox.sandboxId, 'bob', 'req-r1', 'lab-b');
    await release.execute(sandbox.sandboxId, 'bob', 'req-r2', 'lab-b');
    const recorded = events.all().slice(before);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      sandboxId: sandbox.sandboxId,
      from: 'allocated',
      to: 'pending_deletion',
      actor: { kind: 'student', id: 'bob', via: 'lab-b' },
      action: 'release',
      requestId: 'req-r1',
    });
  });
});
