import { randomUUID } from 'node:crypto';
import type { ProviderSandbox } from '@broker/domain';
import { createInMemoryStore, FakeSandboxProvider, FixedClock } from '@broker/domain/testing';
import type { JobContext } from '../runner/job';

/** One in-memory store (pool, lifecycle, …) + provider on a hand-moved clock (unit tests only). */
export function jobHarness(accounts: readonly ProviderSandbox[] = []) {
  const clock = new FixedClock();
  const lease = { leaseSeconds: 3600, graceSeconds: 600 };
  const store = createInMemoryStore({ clock, lease });
  const { sandboxes: pool, lifecycle } = store;
  const provider = new FakeSandboxProvider(accounts);
  const statusOf = (sandboxId: string) =>
    pool.snapshot().find((s) => s.sandboxId === sandboxId)?.status;
  return { clock, lease, store, pool, lifecycle, provider, statusOf };
}

export function jobContext(
  overrides: Partial<{ stop: AbortSignal; abandon: AbortSignal; owner: string }> = {},
): JobContext {
  const runId = randomUUID();
  return {
    runId,
    owner: overrides.owner ?? `test:${runId}`,
    stop: overrides.stop ?? new AbortController().signal,
    abandon: overrides.abandon ?? new AbortController().signal,
  };
}
