import { randomUUID } from 'node:crypto';
import type { JobLease, JobLeaseHolder, JobLeaseRepository } from '@broker/domain';
import { errorText, silentJobLogger, type Job, type JobLogger, type JobName } from './job';

export type JobRunReport<R> =
  | {
      readonly job: JobName;
      readonly outcome: 'success';
      readonly runId: string;
      readonly result: R;
      readonly durationMs: number;
    }
  | {
      readonly job: JobName;
      readonly outcome: 'error';
      readonly runId: string;
      readonly error: Error;
      readonly durationMs: number;
    }
  | {
      readonly job: JobName;
      readonly outcome: 'skipped';
      /** Who holds the lease (null: this process is already running the job). */
      readonly holder: JobLeaseHolder | null;
    };

export interface LeasedJobRunnerOptions {
  readonly leases: JobLeaseRepository;
  /** Identifies this process in lease and claim owner tokens (e.g. `worker-<host>-<pid>`). */
  readonly workerId: string;
  readonly leaseTtlMs: number;
  /** Default a third of the TTL, so two renewals may fail before the lease lapses. */
  readonly renewEveryMs?: number;
  readonly logger?: JobLogger;
  /** Called after every run (metrics). */
  readonly onReport?: (report: JobRunReport<unknown>) => void;
}

export interface RunSignals {
  /** Stop taking new work (shutdown). */
  readonly stop?: AbortSignal;
  /** Abandon in-flight work (shutdown deadline passed). */
  readonly abandon?: AbortSignal;
  /** Use this run id (a run request's, recorded before the run starts); random otherwise. */
  readonly runId?: string;
}

/**
 * Runs a job under its DynamoDB lease: acquire (conditional put with expiry), renew while running,
 * release at the end. A lease held elsewhere — another worker, an admin trigger, an overlapping
 * run — makes the run a no-op reported as `skipped`. Losing the lease mid-run stops the job from
 * taking new work; its per-row writes stay conditional, so nothing is done twice.
 */
export class LeasedJobRunner {
  private readonly running = new Set<JobName>();
  private readonly logger: JobLogger;

  constructor(private readonly options: LeasedJobRunnerOptions) {
    this.logger = options.logger ?? silentJobLogger;
  }

  get workerId(): string {
    return this.options.workerId;
  }

  isRunning(job: JobName): boolean {
    return this.running.has(job);
  }

  async run<R>(job: Job<R>, signals: RunSignals = {}): Promise<JobRunReport<R>> {
    const report = await this.runLeased(job, signals);
    this.options.onReport?.(report);
    return report;
  }

  private async runLeased<R>(job: Job<R>, signals: RunSignals): Promise<JobRunReport<R>> {
    if (this.running.has(job.name)) return { job: job.name, outcome: 'skipped', holder: null };
    this.running.add(job.name);
    try {
      const runId = signals.runId ?? randomUUID();
      const owner = `${this.options.workerId}:${runId}`;
      const { leases, leaseTtlMs } = this.options;
      let lease: JobLease | null;
      try {
        lease = await leases.acquire(job.name, owner, leaseTtlMs);
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        this.logger.error({ job: job.name, err: err.message }, 'job lease unavailable');
        return { job: job.name, outcome: 'error', runId, error: err, durationMs: 0 };
      }
      if (!lease) {
        const holder = await leases.holder(job.name).catch(() => null);
        this.logger.info({ job: job.name, holder: holder?.owner }, 'job skipped: lease held');
        return { job: job.name, outcome: 'skipped', holder };
      }
      return await this.runHolding(job, lease, runId, owner, signals);
    } finally {
      this.running.delete(job.name);
    }
  }

  private async runHolding<R>(
    job: Job<R>,
    acquired: JobLease,
    runId: string,
    owner: string,
    signals: RunSignals,
  ): Promise<JobRunReport<R>> {
    const { leases, leaseTtlMs } = this.options;
    const leaseLost = new AbortController();
    let lease: JobLease | null = acquired;
    const renewal = setInterval(
      () => {
        if (!lease) return;
        const current: JobLease = lease;
        leases.renew(current, leaseTtlMs).then(
          (renewed) => {
            if (renewed) {
              lease = renewed;
              return;
            }
            lease = null;
            this.logger.warn({ job: job.name, runId }, 'job lease lost; stopping the run');
            leaseLost.abort();
          },
          (error: unknown) => {
            // A blip is retried at the next tick; past the expiry the lease counts as lost.
            if (Date.now() >= current.expiresAtMs) {
              lease = null;
              leaseLost.abort();
            }
            this.logger.warn(
              { job: job.name, runId, err: errorText(error) },
              'lease renewal failed',
            );
          },
        );
      },
      this.options.renewEveryMs ?? Math.max(1, Math.floor(leaseTtlMs / 3)),
    );
    renewal.unref();

    const stop = linkedSignal([leaseLost.signal, signals.stop]);
    const abandon = linkedSignal([signals.abandon]);
    const started = performance.now();
    this.logger.info({ job: job.name, runId }, 'job started');
    try {
      const result = await job.run({ runId, owner, stop: stop.signal, abandon: abandon.signal });
      const durationMs = performance.now() - started;
      this.logger.info({ job: job.name, runId, durationMs, result }, 'job finished');
      return { job: job.name, outcome: 'success', runId, result, durationMs };
    } catch (error) {
      const durationMs = performance.now() - started;
      const err = error instanceof Error ? error : new Error(String(error));
      this.logger.error({ job: job.name, runId, durationMs, err: err.message }, 'job failed');
      return { job: job.name, outcome: 'error', runId, error: err, durationMs };
    } finally {
      clearInterval(renewal);
      stop.dispose();
      abandon.dispose();
      const held = lease;
      if (held) {
        await leases.release(held).catch((error: unknown) => {
          // It expires on its own; the next run merely waits for that.
          this.logger.warn({ job: job.name, err: errorText(error) }, 'lease release failed');
        });
      }
    }
  }
}

/**
 * A signal aborted when any source aborts. Unlike AbortSignal.any, its listeners on long-lived
 * sources (the scheduler's shutdown signals) are removed when the run ends.
 */
function linkedSignal(sources: ReadonlyArray<AbortSignal | undefined>): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  const present = sources.filter((s): s is AbortSignal => s !== undefined);
  for (const source of present) {
    if (source.aborted) controller.abort();
    else source.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => present.forEach((source) => source.removeEventListener('abort', onAbort)),
  };
}
