import type {
  AllocationClaim,
  Clock,
  LeasePolicy,
  Sandbox,
  SandboxRepository,
  SandboxStatus,
} from '@broker/domain';

/** A sandbox row as the store holds it, with the claim token it was allocated under. */
export type StoredRow = Sandbox & { readonly claimToken?: string };

/** What the contract suite needs from an engine besides the repository port itself. */
export interface ContractHarness {
  readonly repo: SandboxRepository;
  /** A second, independent repository on the same store (another API process). */
  readonly secondRepo: SandboxRepository;
  /** Write a claim as a writer that crashed right after its claim put would leave it. */
  /** `listed` (default true): as a takeover leaves it, in the repair job's open-claims index. */
  plantClaim(claim: AllocationClaim, listed?: boolean): Promise<void>;
  /** The late sandbox write of a writer presumed dead (conditional on `available`). */
  plantLateAllocation(
    sandboxId: string,
    claim: { studentId: string; idempotencyKey: string; token: string },
  ): Promise<void>;
  /** Put a row into a status directly (what other jobs would do), keeping index attributes right. */
  forceStatus(sandboxId: string, status: SandboxStatus): Promise<void>;
  readClaim(studentId: string, idempotencyKey: string): Promise<AllocationClaim | null>;
  /** Ground truth: every sandbox row, read from the store without the repository's indexes. */
  allRows(): Promise<StoredRow[]>;
  close(): Promise<void>;
}

export type HarnessFactory = (options: {
  clock: Clock;
  lease: LeasePolicy;
}) => Promise<ContractHarness>;
