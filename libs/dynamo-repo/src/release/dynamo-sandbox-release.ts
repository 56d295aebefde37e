import {
  NotSandboxOwnerError,
  type ReleaseResult,
  SandboxNotFoundError,
  type SandboxReleaseRepository,
  SandboxStatus,
} from '@broker/domain';
import { toSandbox } from '../mapping/sandbox-item';
import type { DynamoSandboxReads } from '../pool/dynamo-sandbox-reads';
import type { TransitionWriter } from '../transitions/transition-writer';

/**
 * The student's release: allocated → pending_deletion, conditional on the owner, in one write.
 * When the condition fails, one read tells a repeat (owner, already released) from a 404/403.
 */
export class DynamoSandboxRelease implements SandboxReleaseRepository {
  constructor(
    private readonly writer: TransitionWriter,
    private readonly reads: DynamoSandboxReads,
  ) {}

  async release(sandboxId: string, studentId: string): Promise<ReleaseResult> {
    const released = await this.writer.apply({
      sandboxId,
      to: SandboxStatus.PendingDeletion,
      by: 'student',
      condition: 'owner_id = :sid',
      set: 'deletion_requested_at = :now',
      values: { ':sid': studentId },
      returnValues: 'ALL_NEW',
    });
    if (released) return { sandbox: toSandbox(released), changed: true };
    const item = await this.reads.getItem(sandboxId);
    if (!item) throw new SandboxNotFoundError(sandboxId);
    const sandbox = toSandbox(item);
    if (sandbox.ownerId !== studentId) throw new NotSandboxOwnerError(sandboxId);
    // Owned by the caller and no longer allocated: an idempotent repeat.
    return { sandbox, changed: false };
  }
}
