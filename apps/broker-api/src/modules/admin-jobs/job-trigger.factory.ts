import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock, LeasePolicy, SandboxEventLog, SandboxRepository } from '@broker/domain';
import { HttpCspClient } from '@broker/csp-client';
import { type JobLogger, JobSet, JobTrigger } from '@broker/jobs';
import { JobMetrics } from '@broker/jobs/metrics';
import type { Registry } from 'prom-client';
import type { RepositoryHandle } from '@broker/platform';
import type { ApiConfig } from '../../config/api-config';

export interface JobTriggerFactoryDeps {
  readonly config: ApiConfig;
  readonly handle: RepositoryHandle;
  readonly pool: SandboxRepository;
  readonly events: SandboxEventLog;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly logger: JobLogger;
  /** The API's metrics registry: triggered runs count like the worker's (broker_sync_total, …). */
  readonly registry?: Registry;
}

/**
 * The API's JobSet (the worker's job code, provider client and lease) behind a JobTrigger. Built
 * once per process; its CSP client has its own breaker, separate from the worker's.
 */
export function createJobTrigger(deps: JobTriggerFactoryDeps): JobTrigger {
  const { config, handle, pool, events, clock, lease, logger, registry } = deps;
  const storage = handle.jobStorage;
  if (!storage) {
    throw new Error('The repository handle has no job storage: admin job triggers need it');
  }
  const provider = new HttpCspClient(config.jobs.csp);
  const metrics = registry ? new JobMetrics(registry, provider) : undefined;
  const jobs = new JobSet({
    settings: config.jobs,
    storage: { pool, lifecycle: storage.lifecycle, leases: storage.leases, events },
    provider,
    clock,
    lease,
    logger,
    workerId: `api-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    ...(metrics
      ? {
          onReport: (report) => metrics.record(report),
          onCleanupAttempt: (outcome) => metrics.cleanupAttempt(outcome),
        }
      : {}),
  });
  return new JobTrigger({
    jobs,
    runs: storage.runs,
    leases: storage.leases,
    clock,
    leaseTtlMs: config.jobs.leaseTtlMs,
    logger,
  });
}
