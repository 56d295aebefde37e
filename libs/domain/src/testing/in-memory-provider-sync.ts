import { nowSeconds, type Clock } from '../ports/clock';
import type { ProviderUpsertOutcome } from '../ports/sandbox-repository';
import type { ProviderSandbox } from '../sandbox/sandbox';
import { SandboxStatus } from '../sandbox/sandbox-status';
import type { InMemoryRows } from './in-memory-rows';

/**
 * The provider sync's write, in memory (`SandboxRepository.upsertFromProvider`, and `seed`):
 * a new account is inserted `available`; a known one has its provider fields refreshed if it is
 * `available` or `stale` (a stale row comes back: revived), through the same transition the
 * DynamoDB adapter's sync writer makes; any other status is left untouched.
 */
export function upsertProviderRow(
  store: InMemoryRows,
  clock: Clock,
  provider: ProviderSandbox,
): ProviderUpsertOutcome {
  const now = nowSeconds(clock);
  const row = store.rows.get(provider.sandboxId);
  if (!row) {
    store.rows.set(provider.sandboxId, {
      sandbox: {
        ...providerFields(provider),
        status: SandboxStatus.Available,
        updatedAt: now,
        lastSyncedAt: now,
        deletionAttempts: 0,
        version: 1,
      },
    });
    return 'inserted';
  }
  const synced = store.transition({
    sandboxId: provider.sandboxId,
    to: SandboxStatus.Available,
    by: 'sync',
    orUnchanged: true,
    fields: (at) => ({ ...providerFields(provider), lastSyncedAt: at }),
  });
  if (!synced) return 'untouched';
  return row.sandbox.status === SandboxStatus.Stale ? 'revived' : 'refreshed';
}

/** Only the fields the provider owns (a caller's object may carry more). */
function providerFields(p: ProviderSandbox): ProviderSandbox {
  return {
    sandboxId: p.sandboxId,
    name: p.name,
    externalId: p.externalId,
    createdAt: p.createdAt,
    sfdcAccountId: p.sfdcAccountId,
  };
}
