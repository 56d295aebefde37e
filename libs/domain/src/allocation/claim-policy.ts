import { SandboxStatus } from '../sandbox/sandbox-status';

/**
 * Timing of allocation claims (see libs/dynamo-repo/README.md). A writer never writes under its claim
 * after `deadlineMs`; another request takes the claim over only once the deadline plus a safety
 * margin has passed, so a slow but live writer is not raced.
 */
export const CLAIM_POLICY = {
  /** How long the writer of a claim may keep writing under it. */
  writerWindowMs: 5_000,
  /** Extra wait before a claim whose writer missed its deadline is taken over. */
  takeoverMarginMs: 2_000,
} as const;

/** What an existing claim means for a new request with the same student id and key. */
export type ClaimState =
  /** The claim's sandbox is allocated under it: return that sandbox (200). */
  | 'held'
  /** The claim's allocation was released or expired: the claim may be reused for a new one. */
  | 'spent'
  /** No sandbox taken yet and the writer is still within its window: wait for it. */
  | 'in_flight'
  /** No sandbox taken and the writer's window is over: the writer died, take the claim over. */
  | 'abandoned';

export interface ClaimView {
  readonly studentId: string;
  readonly token: string;
  readonly deadlineMs: number;
}

export interface ClaimedSandboxView {
  readonly status: SandboxStatus;
  readonly ownerId?: string | undefined;
  /** Token of the claim under which the sandbox was allocated. */
  readonly claimToken?: string | undefined;
}

export function classifyClaim(
  claim: ClaimView,
  sandbox: ClaimedSandboxView | null,
  nowMs: number,
): ClaimState {
  if (sandbox && sandbox.claimToken === claim.token && sandbox.ownerId === claim.studentId) {
    return sandbox.status === SandboxStatus.Allocated ? 'held' : 'spent';
  }
  return nowMs < claim.deadlineMs + CLAIM_POLICY.takeoverMarginMs ? 'in_flight' : 'abandoned';
}
