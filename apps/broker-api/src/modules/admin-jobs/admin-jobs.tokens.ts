import type { JobLeaseRepository, JobRunRepository } from '@broker/domain';

export const JOB_REQUESTS = Symbol.for('broker.api.JobRequests');

/**
 * The two stores admin triggers need: run records/requests and the job leases (to answer 409
 * while a job runs). A narrow token, so the persistence wiring can change underneath.
 */
export const ADMIN_JOB_STORE = Symbol.for('broker.api.AdminJobStore');
export interface AdminJobStore {
  readonly runs: JobRunRepository;
  readonly leases: JobLeaseRepository;
}
