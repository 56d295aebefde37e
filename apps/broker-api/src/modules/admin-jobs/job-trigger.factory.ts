import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock, LeasePolicy, SandboxStore } from '@broker/domain';
import { HttpCspClient } from '@broker/csp-client';
import { type JobLogger, JobSet, JobTrigger } from '@broker/jobs';
import { JobMetrics } from '@broker/jobs/metrics';
import type { Registry } from 'prom-client';
import type { ApiConfig } from '../../config/api-config';

export interface JobTriggerFactoryDeps {
  readonly config: ApiConfig;
  readonly store: SandboxStore;
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
  const { config, store, clock, lease, logger, registry } = deps;
  const provider = new HttpCspClient(config.jobs.csp);
  const metrics = registry ? new JobMetrics(registry, provider) : undefined;
  const jobs = new JobSet({
    settings: config.jobs,
    storage: store,
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
    runs: store.runs,
    leases: store.leases,
    clock,
    leaseTtlMs: config.jobs.leaseTtlMs,
    logger,
  });
}
