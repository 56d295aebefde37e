import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { JOB_NAMES, type JobName, type JobRunReport, type RunTracker } from '@broker/jobs';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker-config';
import { WORKER_JOBS, WORKER_RUNS } from '../worker.tokens';
import type { WorkerJobs } from './worker-jobs';

/**
 * Runs each enabled job at start and then `interval` after the previous run ended (chained
 * timeouts registered in the SchedulerRegistry; never an overlapping run). On shutdown: no new
 * runs, running jobs stop taking new work, and whatever is still in flight after the grace period
 * is abandoned (deleting → pending_deletion, no attempt counted).
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    @Inject(WORKER_JOBS) private readonly jobs: WorkerJobs,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    /** Shared with the run-request poller: one drain at shutdown for every run of the process. */
    @Inject(WORKER_RUNS) private readonly runs: RunTracker,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    JOB_NAMES.forEach((name, i) => {
      // Staggered first runs, so the jobs do not all hit the table in the same instant.
      if (this.config.intervalsMs[name] > 0) this.schedule(name, 250 * i);
    });
  }

  /** One run now, outside the schedule (still under the job's lease). */
  runNow(name: JobName): Promise<JobRunReport<unknown>> {
    return this.runs.track(
      this.jobs.runOnce(name, { stop: this.runs.stop, abandon: this.runs.abandon }),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const name of JOB_NAMES) this.unschedule(name);
    // Hand-backs after the grace period are single writes; the tracker never hangs the shutdown.
    await this.runs.shutdown(this.config.shutdownGraceMs);
  }

  private schedule(name: JobName, delayMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => void this.tick(name), delayMs);
    this.registry.addTimeout(timerName(name), timer);
  }

  private unschedule(name: JobName): void {
    if (this.registry.doesExist('timeout', timerName(name)))
      this.registry.deleteTimeout(timerName(name));
  }

  private async tick(name: JobName): Promise<void> {
    this.unschedule(name);
    if (this.stopping) return;
    await this.runNow(name);
    this.schedule(name, this.config.intervalsMs[name]);
  }
}

function timerName(name: JobName): string {
  return `broker-job:${name}`;
}
