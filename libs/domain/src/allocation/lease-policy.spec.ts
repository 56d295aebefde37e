import { aSandbox } from '../testing/builders';
import { SandboxStatus } from '../sandbox/sandbox-status';
import { DEFAULT_LEASE_POLICY, isDueForExpiry, isLeaseOver, leaseExpiry } from './lease-policy';

describe('lease policy', () => {
  const policy = { leaseSeconds: 3600, graceSeconds: 600 };

  it('derives expires_at from allocated_at and the lease', () => {
    expect(leaseExpiry(1000, policy)).toBe(4600);
    expect(DEFAULT_LEASE_POLICY.leaseSeconds).toBe(48 * 3600);
  });

  it('uses expires_at as the one clock for lease end and expiry', () => {
    const sandbox = aSandbox({ status: SandboxStatus.Allocated, allocatedAt: 0, expiresAt: 3600 });
    expect(isLeaseOver(sandbox, 3599)).toBe(false);
    expect(isLeaseOver(sandbox, 3600)).toBe(true);
    expect(isDueForExpiry(sandbox, 4199, policy)).toBe(false);
    expect(isDueForExpiry(sandbox, 4200, policy)).toBe(true);
  });

  it('never expires a sandbox that is not allocated', () => {
    const released = aSandbox({ status: SandboxStatus.PendingDeletion, expiresAt: 0 });
    expect(isDueForExpiry(released, 10_000_000, policy)).toBe(false);
  });
});
