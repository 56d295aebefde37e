import type { SandboxStatus } from './sandbox-status';

/** Epoch seconds (integer). All timestamps in the domain use this unit, as on the wire. */
export type EpochSeconds = number;

/** Provider-owned fields: what sync copies from the CSP account list. */
export interface ProviderSandbox {
  /** Broker id: the CSP numeric `csp_id` as a string. */
  readonly sandboxId: string;
  readonly name: string;
  /** Full CSP path `identity/accounts/<uuid>`. */
  readonly externalId: string;
  readonly createdAt: EpochSeconds;
  readonly sfdcAccountId: string | null;
}

export interface Sandbox extends ProviderSandbox {
  readonly status: SandboxStatus;
  readonly updatedAt: EpochSeconds;
  readonly lastSyncedAt?: EpochSeconds;
  /** Student id of the (last) owner; kept after release so the owner can still read it. */
  readonly ownerId?: string;
  readonly idempotencyKey?: string;
  readonly trackName?: string;
  readonly allocatedAt?: EpochSeconds;
  /** The one lease clock: responses, release checks and auto-expiry all read this value. */
  readonly expiresAt?: EpochSeconds;
  /** Self-extensions this allocation has had (each moved `expiresAt` by one step). */
  readonly extensionCount?: number;
  readonly deletionRequestedAt?: EpochSeconds;
  readonly deletionAttempts: number;
  readonly nextAttemptAt?: EpochSeconds;
  readonly lastError?: string;
  readonly quarantineReason?: string;
  readonly deletedAt?: EpochSeconds;
  readonly staleSince?: EpochSeconds;
  /** The reservation the sandbox is (or was, when allocated from it) earmarked for. */
  readonly reservationId?: string;
  /** Incremented by every write; lets callers detect concurrent modification. */
  readonly version: number;
}

export function uuidOf(externalId: string): string {
  const parts = externalId.split('/');
  return parts[parts.length - 1] ?? externalId;
}
