import type { Clock } from '../ports/clock';
import type { JobLease, JobLeaseHolder, JobLeaseRepository } from '../ports/job-lease-repository';

/** Job leases in a Map; share one instance between runners to model one table. */
export class InMemoryJobLeaseRepository implements JobLeaseRepository {
  private readonly leases = new Map<string, JobLease>();
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  acquire(job: string, owner: string, ttlMs: number): Promise<JobLease | null> {
    const now = this.clock.nowMs();
    const current = this.leases.get(job);
    if (current && current.expiresAtMs > now) return Promise.resolve(null);
    this.sequence += 1;
    const lease: JobLease = {
      job,
      owner,
      token: `lease-${this.sequence}`,
      expiresAtMs: now + ttlMs,
    };
    this.leases.set(job, lease);
    return Promise.resolve(lease);
  }

  renew(lease: JobLease, ttlMs: number): Promise<JobLease | null> {
    const current = this.leases.get(lease.job);
    if (current?.token !== lease.token) return Promise.resolve(null);
    const renewed: JobLease = { ...current, expiresAtMs: this.clock.nowMs() + ttlMs };
    this.leases.set(lease.job, renewed);
    return Promise.resolve(renewed);
  }

  release(lease: JobLease): Promise<void> {
    if (this.leases.get(lease.job)?.token === lease.token) this.leases.delete(lease.job);
    return Promise.resolve();
  }

  holder(job: string): Promise<JobLeaseHolder | null> {
    const current = this.leases.get(job);
    if (!current || current.expiresAtMs <= this.clock.nowMs()) return Promise.resolve(null);
    return Promise.resolve({ owner: current.owner, expiresAtMs: current.expiresAtMs });
  }
}
