import type { ExtensionPolicy } from '@broker/domain';
import type { TrackLeaseConfig } from '../../config/lease-config';

/** The operator's lease settings the lab-script endpoints apply. */
export interface AllocationPolicies {
  /** Per-track leases (TRACK_LEASE_MINUTES); other tracks get the store's default lease. */
  readonly lease: TrackLeaseConfig;
  readonly extension: ExtensionPolicy;
}

export const ALLOCATION_POLICIES = Symbol.for('broker.api.AllocationPolicies');
