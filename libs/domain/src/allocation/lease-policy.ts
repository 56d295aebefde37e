import type { EpochSeconds, Sandbox } from '../sandbox/sandbox';
import type { ExtensionLimits } from '../errors/domain-errors';
import { SandboxStatus } from '../sandbox/sandbox-status';

/**
 * How long a student holds a sandbox. `expires_at = allocated_at + leaseSeconds` is stored on the row
 * at allocation and is the single lease clock; `graceSeconds` is how long after it auto-expiry waits.
 */
export interface LeasePolicy {
  readonly leaseSeconds: number;
  readonly graceSeconds: number;
}

export const DEFAULT_LEASE_POLICY: LeasePolicy = {
  leaseSeconds: 48 * 3600,
  graceSeconds: 30 * 60,
};

/**
 * The student's self-extension: each one adds `stepSeconds` to `expires_at`, at most `maxCount`
 * times per allocation, and never past `allocated_at + maxLeaseSeconds`.
 */
export interface ExtensionPolicy {
  readonly stepSeconds: number;
  readonly maxCount: number;
  readonly maxLeaseSeconds: number;
}

/** `leaseSeconds`: a per-allocation lease (e.g. per track) that replaces the policy's default. */
export function leaseExpiry(
  allocatedAt: EpochSeconds,
  policy: LeasePolicy,
  leaseSeconds?: number,
): EpochSeconds {
  return allocatedAt + (leaseSeconds ?? policy.leaseSeconds);
}

/** True once the lease is over (the student may still release it; expiry waits for the grace). */
export function isLeaseOver(sandbox: Sandbox, now: EpochSeconds): boolean {
  return sandbox.expiresAt !== undefined && now >= sandbox.expiresAt;
}

/** True when auto-expiry must take the sandbox back: allocated and past `expires_at` + grace. */
export function isDueForExpiry(sandbox: Sandbox, now: EpochSeconds, policy: LeasePolicy): boolean {
  return (
    sandbox.status === SandboxStatus.Allocated &&
    sandbox.expiresAt !== undefined &&
    now >= sandbox.expiresAt + policy.graceSeconds
  );
}

/** The newest `expires_at` that is due for expiry at `now`. */
export function expiryCutoff(now: EpochSeconds, policy: LeasePolicy): EpochSeconds {
  return now - policy.graceSeconds;
}

/** What one extension writes, or the limits that refuse it. */
export type ExtensionStep =
  | { readonly ok: true; readonly expiresAt: EpochSeconds; readonly extensionCount: number }
  | { readonly ok: false; readonly limits: ExtensionLimits };

/**
 * The next extension of an allocated sandbox: `expires_at + step`, capped at
 * `allocated_at + maxLeaseSeconds`; refused when the count is used up or the cap is reached.
 */
export function nextExtension(sandbox: Sandbox, policy: ExtensionPolicy): ExtensionStep {
  const count = sandbox.extensionCount ?? 0;
  const current = sandbox.expiresAt ?? sandbox.allocatedAt ?? 0;
  const cap = (sandbox.allocatedAt ?? current) + policy.maxLeaseSeconds;
  const expiresAt = Math.min(current + policy.stepSeconds, cap);
  if (count >= policy.maxCount || expiresAt <= current) {
    return {
      ok: false,
      limits: {
        step_minutes: policy.stepSeconds / 60,
        max_count: policy.maxCount,
        max_lease_hours: policy.maxLeaseSeconds / 3600,
        extension_count: count,
      },
    };
  }
  return { ok: true, expiresAt, extensionCount: count + 1 };
}
