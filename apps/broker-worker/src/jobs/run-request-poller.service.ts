import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { PinoLogger } from 'nestjs-pino';
import { type Clock, CLOCK, JOB_RUN_REPOSITORY, type JobRunRepository } from '@broker/domain';
import { errorText, JobRequestPoller, type RunTracker } from '@broker/jobs';
import { structuredLogger } from '@broker/platform';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker-config';
import type { WorkerMetrics } from '../metrics/worker-metrics';
import { WORKER_JOBS, WORKER_METRICS, WORKER_RUNS } from '../worker.tokens';
import type { WorkerJobs } from './worker-jobs';

/**
 * Picks up admin-triggered run requests (POST /v1/admin/sync|cleanup on the API) every
 * JOB_REQUEST_POLL_MS, whether or not the schedule is enabled, and runs them through the worker's
 * JobSet. Runs are tracked with the scheduler's, so shutdown drains both alike.
 */
@Injectable()
export class RunRequestPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly poller: JobRequestPoller;
  private readonly stop = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(JOB_RUN_REPOSITORY) runs: JobRunRepository,
    @Inject(WORKER_JOBS) jobs: WorkerJobs,
    @Inject(WORKER_RUNS) private readonly tracker: RunTracker,
    @Inject(WORKER_METRICS) metrics: WorkerMetrics,
    @Inject(CLOCK) clock: Clock,
    private readonly pino: PinoLogger,
  ) {
    this.poller = new JobRequestPoller({
      jobs,
      runs,
      clock,
      tracker,
      leaseTtlMs: config.leaseTtlMs,
      logger: structuredLogger(pino, 'run-requests'),
      onEvent: (event, job) => metrics.jobRequest(event, job),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.requestPollMs <= 0) return;
    this.loop = this.run(this.poller);
  }

  /** One pass now (tests); the started runs' promises resolve with their saved records. */
  pollOnce(): ReturnType<JobRequestPoller['pollOnce']> {
    return this.poller.pollOnce();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await this.tracker.shutdown(this.config.shutdownGraceMs);
  }

  private async run(poller: JobRequestPoller): Promise<void> {
    while (!this.stop.signal.aborted && !this.tracker.stopped) {
      try {
        // The started runs are tracked by the RunTracker (and save their own outcome).
        void (await poller.pollOnce());
      } catch (error) {
        // A store blip: the next pass retries; the request's deadline bounds the wait anyway.
        this.pino.warn({ err: errorText(error) }, 'run request poll failed');
      }
      await sleep(this.config.requestPollMs, undefined, { signal: this.stop.signal }).catch(
        () => undefined,
      );
    }
  }
}
