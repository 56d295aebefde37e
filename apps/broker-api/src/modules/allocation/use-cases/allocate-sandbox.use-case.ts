import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  type AllocationRequest,
  type AllocationResult,
  SANDBOX_EVENT_LOG,
  SANDBOX_ALLOCATION_REPOSITORY,
  type SandboxEventLog,
  type SandboxAllocationRepository,
  SandboxStatus,
  transitionEvent,
} from '@broker/domain';
import {
  allocationOutcomeOf,
  API_METRICS,
  type ApiMetrics,
} from '../../../common/metrics/api-metrics';
import { trackLeaseSeconds } from '../../../config/lease-config';
import { ALLOCATION_POLICIES, type AllocationPolicies } from '../allocation.tokens';

/** Hands the student a sandbox, or returns the one their claim already holds. */
@Injectable()
export class AllocateSandboxUseCase {
  constructor(
    @Inject(SANDBOX_ALLOCATION_REPOSITORY)
    private readonly repository: SandboxAllocationRepository,
    @Optional() @Inject(API_METRICS) private readonly metrics?: ApiMetrics,
    @Optional() @Inject(SANDBOX_EVENT_LOG) private readonly events?: SandboxEventLog,
    @Optional() @Inject(ALLOCATION_POLICIES) private readonly policies?: AllocationPolicies,
  ) {}

  /** `tokenName`: the configured name of the track token that asked (recorded as `actor.via`). */
  async execute(
    request: AllocationRequest,
    requestId?: string,
    tokenName?: string,
  ): Promise<AllocationResult> {
    const started = performance.now();
    try {
      const leaseSeconds = this.policies
        ? trackLeaseSeconds(this.policies.lease, request.trackName)
        : undefined;
      const result = await this.repository.allocate(
        leaseSeconds === undefined ? request : { ...request, leaseSeconds },
      );
      this.metrics?.allocation(result.created ? 'success' : 'idempotent', started);
      // Only an allocation that changed the row; an idempotent repeat is not a transition.
      // `record` is an in-memory push: no store round-trip on the allocation path.
      if (result.created) {
        this.events?.record(
          transitionEvent({
            sandboxId: result.sandbox.sandboxId,
            // A class member's sandbox came from the reservation's earmarked set.
            from: result.sandbox.reservationId ? SandboxStatus.Reserved : SandboxStatus.Available,
            to: SandboxStatus.Allocated,
            actor: {
              kind: 'student',
              id: request.studentId,
              ...(tokenName !== undefined ? { via: tokenName } : {}),
            },
            action: 'allocate',
            requestId,
            details: {
              track: request.trackName ?? null,
              ...(result.sandbox.reservationId
                ? { reservation_id: result.sandbox.reservationId }
                : {}),
            },
          }),
        );
      }
      return result;
    } catch (error) {
      this.metrics?.allocation(allocationOutcomeOf(error), started);
      throw error;
    }
  }
}
