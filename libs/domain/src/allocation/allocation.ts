import type { Sandbox } from '../sandbox/sandbox';

/** What a lab script asks for. Header parsing and validation happen at the edge. */
export interface AllocationRequest {
  readonly studentId: string;
  /** Defaults to the student id. Scoped to the student: another student's key never matches. */
  readonly idempotencyKey: string;
  /** Case-sensitive prefix of the sandbox name; empty or undefined means any sandbox. */
  readonly namePrefix?: string;
  /** Instruqt track slug, recorded on a new allocation only. */
  readonly trackName?: string;
  /**
   * Lease of a new allocation in seconds (`expires_at = allocated_at + leaseSeconds`), e.g. the
   * operator's per-track lease; undefined means the store's default lease. Ignored on a repeat.
   */
  readonly leaseSeconds?: number;
}

export interface AllocationResult {
  readonly sandbox: Sandbox;
  /** True for a new allocation (201), false when the student's existing one is returned (200). */
  readonly created: boolean;
}

export interface ReleaseResult {
  readonly sandbox: Sandbox;
  /** False when the sandbox had already been released (an idempotent repeat). */
  readonly changed: boolean;
}

/** Input limits shared by the API validation and the repository (DynamoDB key size). */
export const INPUT_LIMITS = {
  studentIdMaxLength: 256,
  idempotencyKeyMaxLength: 256,
  namePrefixMaxLength: 128,
  trackNameMaxLength: 256,
  sandboxIdMaxLength: 128,
} as const;

/** Printable ASCII without spaces at the ends; what ids, keys and prefixes may contain. */
export const SAFE_HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
export const SANDBOX_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
