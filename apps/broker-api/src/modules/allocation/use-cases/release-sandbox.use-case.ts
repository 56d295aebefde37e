import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  type ReleaseResult,
  SANDBOX_EVENT_LOG,
  SANDBOX_RELEASE_REPOSITORY,
  type SandboxEventLog,
  type SandboxReleaseRepository,
  SandboxStatus,
  transitionEvent,
} from '@broker/domain';
import {
  API_METRICS,
  type ApiMetrics,
  releaseOutcomeOf,
} from '../../../common/metrics/api-metrics';

/** The owner gives the sandbox back for deletion; a repeat is answered the same way. */
@Injectable()
export class ReleaseSandboxUseCase {
  constructor(
    @Inject(SANDBOX_RELEASE_REPOSITORY) private readonly repository: SandboxReleaseRepository,
    @Optional() @Inject(API_METRICS) private readonly metrics?: ApiMetrics,
    @Optional() @Inject(SANDBOX_EVENT_LOG) private readonly events?: SandboxEventLog,
  ) {}

  /** `tokenName`: the configured name of the track token that asked (recorded as `actor.via`). */
  async execute(
    sandboxId: string,
    studentId: string,
    requestId?: string,
    tokenName?: string,
  ): Promise<ReleaseResult> {
    try {
      const result = await this.repository.release(sandboxId, studentId);
      this.metrics?.release(result.changed ? 'success' : 'idempotent');
      if (result.changed) {
        this.events?.record(
          transitionEvent({
            sandboxId,
            from: SandboxStatus.Allocated,
            to: SandboxStatus.PendingDeletion,
            actor: {
              kind: 'student',
              id: studentId,
              ...(tokenName !== undefined ? { via: tokenName } : {}),
            },
            action: 'release',
            requestId,
          }),
        );
      }
      return result;
    } catch (error) {
      this.metrics?.release(releaseOutcomeOf(error));
      throw error;
    }
  }
}
