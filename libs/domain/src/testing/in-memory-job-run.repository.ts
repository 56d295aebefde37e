import type { JobRunRecord, JobRunRepository } from '../ports/job-run-repository';

export class InMemoryJobRunRepository implements JobRunRepository {
  private readonly records = new Map<string, JobRunRecord>();

  save(record: JobRunRecord): Promise<void> {
    const current = this.records.get(record.runId);
    if (!current || current.status === 'running') this.records.set(record.runId, { ...record });
    return Promise.resolve();
  }

  get(runId: string): Promise<JobRunRecord | null> {
    const record = this.records.get(runId);
    return Promise.resolve(record ? { ...record } : null);
  }
}
