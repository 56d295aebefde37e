import type { Clock } from '../ports/clock';
import {
  isFinalJobRunStatus,
  type JobRunRecord,
  type JobRunRepository,
  type JobRunRequest,
} from '../ports/job-run-repository';
import { systemClock } from '../ports/clock';

interface RequestSlot {
  readonly runId: string;
  readonly blocksUntilMs: number;
}

/** In-memory twin of DynamoJobRunRepository (same contract, libs/dynamo-repo/test). */
export class InMemoryJobRunRepository implements JobRunRepository {
  private readonly records = new Map<string, JobRunRecord>();
  private readonly slots = new Map<string, RequestSlot>();

  constructor(private readonly clock: Clock = systemClock) {}

  save(record: JobRunRecord): Promise<void> {
    const current = this.records.get(record.runId);
    if (!current || mayMove(current.status, record.status)) {
      this.records.set(record.runId, { ...record });
      if (isFinalJobRunStatus(record.status)) this.releaseSlot(record.job, record.runId);
    }
    return Promise.resolve();
  }

  get(runId: string): Promise<JobRunRecord | null> {
    const record = this.records.get(runId);
    return Promise.resolve(record ? { ...record } : null);
  }

  request(request: JobRunRequest): Promise<boolean> {
    const slot = this.slots.get(request.job);
    if (slot && slot.blocksUntilMs >= this.clock.nowMs()) return Promise.resolve(false);
    if (this.records.has(request.runId)) return Promise.resolve(false);
    this.slots.set(request.job, { runId: request.runId, blocksUntilMs: request.pickupDeadlineMs });
    this.records.set(request.runId, {
      runId: request.runId,
      job: request.job,
      status: 'pending',
      owner: '',
      triggeredBy: request.triggeredBy,
      startedAtMs: request.requestedAtMs,
      requestedAtMs: request.requestedAtMs,
      pickupDeadlineMs: request.pickupDeadlineMs,
    });
    return Promise.resolve(true);
  }

  pending(job: string): Promise<JobRunRecord | null> {
    const slot = this.slots.get(job);
    const record = slot ? this.records.get(slot.runId) : undefined;
    return Promise.resolve(record?.status === 'pending' ? { ...record } : null);
  }

  claim(runId: string, owner: string, holdMs: number): Promise<JobRunRecord | null> {
    const record = this.records.get(runId);
    const now = this.clock.nowMs();
    if (record?.status !== 'pending' || (record.pickupDeadlineMs ?? 0) < now) {
      return Promise.resolve(null);
    }
    const claimed: JobRunRecord = { ...record, status: 'running', owner, startedAtMs: now };
    this.records.set(runId, claimed);
    if (this.slots.get(record.job)?.runId === runId) {
      this.slots.set(record.job, { runId, blocksUntilMs: now + holdMs });
    }
    return Promise.resolve({ ...claimed });
  }

  expire(runId: string): Promise<boolean> {
    const record = this.records.get(runId);
    const now = this.clock.nowMs();
    if (record?.status !== 'pending' || (record.pickupDeadlineMs ?? 0) >= now) {
      return Promise.resolve(false);
    }
    this.records.set(runId, { ...record, status: 'expired', finishedAtMs: now });
    return Promise.resolve(true);
  }

  recent(job: string, limit: number): Promise<JobRunRecord[]> {
    const runs = [...this.records.values()]
      .filter((record) => record.job === job)
      .sort((a, b) => b.startedAtMs - a.startedAtMs || (a.runId < b.runId ? 1 : -1))
      .slice(0, Math.max(1, Math.min(50, Math.floor(limit))))
      .map((record) => ({ ...record }));
    return Promise.resolve(runs);
  }

  private releaseSlot(job: string, runId: string): void {
    if (this.slots.get(job)?.runId === runId) this.slots.delete(job);
  }
}

/** Forward only: pending → pending|running|outcome; running → running|outcome; outcome → never. */
function mayMove(from: JobRunRecord['status'], to: JobRunRecord['status']): boolean {
  if (from === 'pending') return true;
  return from === 'running' && to !== 'pending';
}
