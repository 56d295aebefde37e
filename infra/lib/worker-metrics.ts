import { SandboxStatus } from '@broker/domain';

/**
 * How the worker's Prometheus metrics reach CloudWatch: an ADOT collector sidecar in the worker task
 * scrapes `127.0.0.1:<WORKER_PORT>/metrics` and writes the metrics below as EMF into a log group;
 * CloudWatch turns them into metrics in the `SandboxBroker` namespace. This keeps the app free of
 * any AWS metrics code (it only serves Prometheus) and does not depend on the log line format.
 *
 * Only gauges are alarmed on: counters pass through cumulative-to-delta conversion and, depending
 * on the collector version, lose their `_total` suffix, which would silently break an alarm.
 * The names are the worker's metric contract; keep them in sync with apps/broker-worker.
 */
export const METRICS_NAMESPACE = 'SandboxBroker';

/** Dimension added to every scraped series by the collector (a static target label). */
export const SERVICE_DIMENSION = { name: 'service', value: 'broker-worker' } as const;

/**
 * The worker labels job metrics `job`, which clashes with the scrape job label; Prometheus scraping
 * keeps the app's value as `exported_job` (honor_labels would instead let the app's value replace
 * the target's job, which the collector's Prometheus receiver cannot match back to its target).
 */
export const JOB_DIMENSION = 'exported_job';

/** The worker's pool gauges are `broker_pool_<status>` for every domain status. */
const poolGauge = (status: SandboxStatus) => `broker_pool_${status}`;

export const WORKER_METRICS = {
  /** Gauge: sandboxes currently allocatable. */
  poolAvailable: poolGauge(SandboxStatus.Available),
  /** Gauge: sandboxes whose provider deletion failed and waits for a retry. */
  poolDeletionFailed: poolGauge(SandboxStatus.DeletionFailed),
  /** Gauge: sandboxes quarantined (operator action needed). */
  poolQuarantined: poolGauge(SandboxStatus.Quarantined),
  /** Gauge, label `job`: unix time of the job's last successful run. */
  jobLastSuccess: 'broker_job_last_success_timestamp_seconds',
} as const;

/** Worker job names as they appear in the `job` label (JOB_NAMES in libs/jobs). */
export const WORKER_JOBS = ['sync', 'cleanup', 'expiry'] as const;
export type WorkerJob = (typeof WORKER_JOBS)[number];

export interface CollectorConfigOptions {
  readonly workerPort: number;
  readonly logGroupName: string;
  readonly region: string;
}

/**
 * The collector configuration (JSON is valid YAML, so it goes into `AOT_CONFIG_CONTENT` as is).
 * Regexes avoid `$`: the collector expands `$VAR` in its configuration.
 */
export function collectorConfig(options: CollectorConfigOptions): string {
  const gauges = [
    WORKER_METRICS.poolAvailable,
    WORKER_METRICS.poolDeletionFailed,
    WORKER_METRICS.poolQuarantined,
  ];
  return JSON.stringify({
    receivers: {
      prometheus: {
        config: {
          global: { scrape_interval: '60s', scrape_timeout: '10s' },
          scrape_configs: [
            {
              job_name: SERVICE_DIMENSION.value,
              metrics_path: '/metrics',
              static_configs: [
                {
                  targets: [`127.0.0.1:${options.workerPort}`],
                  labels: { [SERVICE_DIMENSION.name]: SERVICE_DIMENSION.value },
                },
              ],
            },
          ],
        },
      },
    },
    processors: { batch: { timeout: '30s' } },
    exporters: {
      awsemf: {
        namespace: METRICS_NAMESPACE,
        log_group_name: options.logGroupName,
        log_stream_name: 'broker-worker',
        region: options.region,
        dimension_rollup_option: 'NoDimensionRollup',
        metric_declarations: [
          {
            dimensions: [[SERVICE_DIMENSION.name]],
            metric_name_selectors: gauges.map((name) => `^${name}`),
          },
          {
            dimensions: [[SERVICE_DIMENSION.name, JOB_DIMENSION]],
            metric_name_selectors: [`^${WORKER_METRICS.jobLastSuccess}`],
          },
        ],
      },
    },
    service: {
      pipelines: {
        metrics: { receivers: ['prometheus'], processors: ['batch'], exporters: ['awsemf'] },
      },
    },
  });
}
