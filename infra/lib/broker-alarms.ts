import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  JOB_DIMENSION,
  METRICS_NAMESPACE,
  SERVICE_DIMENSION,
  WORKER_JOBS,
  WORKER_METRICS,
  type WorkerJob,
} from './worker-metrics';

export interface BrokerAlarmsProps {
  readonly topic: sns.ITopic;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly jobIntervalsSec: Readonly<Record<WorkerJob, number>>;
  readonly jobMissedIntervals: number;
  readonly poolAvailableThreshold: number;
  readonly deletionFailedThreshold: number;
  readonly api5xxPercentThreshold: number;
}

function workerGauge(
  metricName: string,
  statistic: string,
  period: Duration,
  job?: WorkerJob,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic,
    period,
    dimensionsMap: {
      [SERVICE_DIMENSION.name]: SERVICE_DIMENSION.value,
      ...(job ? { [JOB_DIMENSION]: job } : {}),
    },
  });
}

/** CloudWatch periods are whole minutes. */
function wholeMinutes(seconds: number): Duration {
  return Duration.minutes(Math.ceil(seconds / 60));
}

/** Operational alarms; every alarm notifies the topic on ALARM and on OK. */
export class BrokerAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: BrokerAlarmsProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);

    this.add(
      new cloudwatch.Alarm(this, 'PoolAvailableLow', {
        alarmDescription: `Fewer than ${props.poolAvailableThreshold} sandboxes are available to allocate.`,
        metric: workerGauge(WORKER_METRICS.poolAvailable, 'Minimum', fiveMinutes),
        threshold: props.poolAvailableThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        // No data means the worker is not reporting, which the job alarms already cover.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.add(
      new cloudwatch.Alarm(this, 'SandboxesQuarantined', {
        alarmDescription:
          'At least one sandbox is quarantined after repeated deletion failures; repair it via the admin API.',
        metric: workerGauge(WORKER_METRICS.poolQuarantined, 'Maximum', fiveMinutes),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.add(
      new cloudwatch.Alarm(this, 'CleanupFailures', {
        alarmDescription: `${props.deletionFailedThreshold}+ sandboxes stayed in deletion_failed for 15 minutes (provider deletes failing).`,
        metric: workerGauge(WORKER_METRICS.poolDeletionFailed, 'Minimum', fiveMinutes),
        threshold: props.deletionFailedThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    for (const job of WORKER_JOBS) {
      // The last-success timestamp must move within N intervals; max - min over the window is 0
      // when it did not, and missing data (worker down, collector down) also alarms.
      const window = wholeMinutes(props.jobIntervalsSec[job] * props.jobMissedIntervals);
      this.add(
        new cloudwatch.Alarm(this, `JobNotSucceeding-${job}`, {
          alarmDescription: `Worker job "${job}" has not succeeded for ${props.jobMissedIntervals} intervals.`,
          metric: new cloudwatch.MathExpression({
            label: `${job} success progress`,
            expression: 'newest - oldest',
            usingMetrics: {
              newest: workerGauge(WORKER_METRICS.jobLastSuccess, 'Maximum', window, job),
              oldest: workerGauge(WORKER_METRICS.jobLastSuccess, 'Minimum', window, job),
            },
            period: window,
          }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
    }

    const minute = Duration.minutes(1);
    const lbMetrics = props.loadBalancer.metrics;
    this.add(
      new cloudwatch.Alarm(this, 'Api5xxRate', {
        alarmDescription: `More than ${props.api5xxPercentThreshold}% of API requests answered 5xx.`,
        metric: new cloudwatch.MathExpression({
          label: 'API 5xx %',
          // Ignore minutes with too little traffic for a rate to mean anything.
          expression:
            'IF(requests >= 20, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
          usingMetrics: {
            requests: lbMetrics.requestCount({ period: minute, statistic: 'Sum' }),
            target5xx: lbMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
              period: minute,
              statistic: 'Sum',
            }),
            elb5xx: lbMetrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
              period: minute,
              statistic: 'Sum',
            }),
          },
          period: minute,
        }),
        threshold: props.api5xxPercentThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.add(
      new cloudwatch.Alarm(this, 'ApiNoHealthyTargets', {
        alarmDescription: 'No API task passes the /readyz target health check.',
        metric: props.targetGroup.metrics.healthyHostCount({
          period: minute,
          statistic: 'Minimum',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );

    const action = new actions.SnsAction(props.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  private add(alarm: cloudwatch.Alarm): void {
    this.alarms.push(alarm);
  }
}
