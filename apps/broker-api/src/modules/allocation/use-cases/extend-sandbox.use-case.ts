import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  SANDBOX_EVENT_LOG,
  SANDBOX_EXTENSION_REPOSITORY,
  type Sandbox,
  type SandboxEventLog,
  type SandboxExtensionRepository,
  SandboxStatus,
  transitionEvent,
} from '@broker/domain';
import { ALLOCATION_POLICIES, type AllocationPolicies } from '../allocation.tokens';

/** The owner moves their lease by one configured step (EXTENSION_* settings). */
@Injectable()
export class ExtendSandboxUseCase {
  constructor(
    @Inject(SANDBOX_EXTENSION_REPOSITORY) private readonly repository: SandboxExtensionRepository,
    @Inject(ALLOCATION_POLICIES) private readonly policies: AllocationPolicies,
    @Optional() @Inject(SANDBOX_EVENT_LOG) private readonly events?: SandboxEventLog,
  ) {}

  get maxCount(): number {
    return this.policies.extension.maxCount;
  }

  /** `tokenName`: the configured name of the track token that asked (recorded as `actor.via`). */
  async execute(
    sandboxId: string,
    studentId: string,
    requestId?: string,
    tokenName?: string,
  ): Promise<Sandbox> {
    const sandbox = await this.repository.extend(sandboxId, studentId, this.policies.extension);
    // Every success changed the row (an extension is not idempotent): one event each.
    this.events?.record(
      transitionEvent({
        sandboxId,
        from: SandboxStatus.Allocated,
        to: SandboxStatus.Allocated,
        actor: {
          kind: 'student',
          id: studentId,
          ...(tokenName !== undefined ? { via: tokenName } : {}),
        },
        action: 'extend',
        requestId,
        details: {
          expires_at: sandbox.expiresAt ?? null,
          extension_count: sandbox.extensionCount ?? 0,
        },
      }),
    );
    return sandbox;
  }
}
