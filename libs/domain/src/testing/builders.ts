import type { ProviderSandbox, Sandbox } from '../sandbox/sandbox';
import { SandboxStatus } from '../sandbox/sandbox-status';

let sequence = 0;

/** A provider account as the CSP lists it; every call gets a fresh numeric id unless given. */
export function aProviderSandbox(overrides: Partial<ProviderSandbox> = {}): ProviderSandbox {
  sequence += 1;
  const sandboxId = overrides.sandboxId ?? String(2_000_000 + sequence);
  return {
    sandboxId,
    name: `lab-demo-${String(sequence).padStart(4, '0')}`,
    externalId: `identity/accounts/00000000-0000-4000-8000-${sandboxId.padStart(12, '0')}`,
    createdAt: 1_760_000_000,
    sfdcAccountId: null,
    ...overrides,
  };
}

/** `count` provider sandboxes named `<prefix>0001`…, ids unique across calls. */
export function aProviderPool(count: number, prefix = 'lab-demo-'): ProviderSandbox[] {
  return Array.from({ length: count }, (_, i) =>
    aProviderSandbox({ name: `${prefix}${String(i + 1).padStart(4, '0')}` }),
  );
}

export function aSandbox(overrides: Partial<Sandbox> = {}): Sandbox {
  return {
    ...aProviderSandbox(overrides),
    status: SandboxStatus.Available,
    updatedAt: 1_760_000_000,
    deletionAttempts: 0,
    version: 1,
    ...overrides,
  };
}
