/** A job lease as held by one run. */
export interface JobLease {
  readonly job: string;
  /** Who holds it (worker id + run id); shown to operators. */
  readonly owner: string;
  /** Unique per acquisition; renew and release are conditional on it. */
  readonly token: string;
  /** Epoch ms after which another runner may take the lease over. */
  readonly expiresAtMs: number;
}

/** The current holder of a job's lease, for operators and skipped-run reports. */
export interface JobLeaseHolder {
  readonly owner: string;
  readonly expiresAtMs: number;
}

/**
 * Mutual exclusion for background jobs across processes: one conditional write per call, with an
 * expiry so a crashed holder's lease lapses on its own.
 */
export interface JobLeaseRepository {
  /** Take the lease if nobody holds it or the holder's lease has expired; null if it is held. */
  acquire(job: string, owner: string, ttlMs: number): Promise<JobLease | null>;

  /** Extend our lease; null when it was lost (expired and taken over, or released). */
  renew(lease: JobLease, ttlMs: number): Promise<JobLease | null>;

  /** Give the lease up; a no-op when it is no longer ours. */
  release(lease: JobLease): Promise<void>;

  /** The unexpired holder, if any. */
  holder(job: string): Promise<JobLeaseHolder | null>;
}

export const JOB_LEASE_REPOSITORY = Symbol.for('broker.JobLeaseRepository');
