import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { API_PORT, APP_ENTRYPOINTS, healthCheckScript, WORKER_PORT } from './app-entrypoints';
import { BrokerAlarms } from './broker-alarms';
import { BrokerTable } from './broker-table';
import { BrokerWaf } from './broker-waf';
import { type BrokerConfig, PLACEHOLDER_CERTIFICATE_ARN } from './config';
import { applyNagSuppressions } from './nag-suppressions';
import { collectorConfig } from './worker-metrics';

export interface BrokerStackProps extends StackProps {
  readonly config: BrokerConfig;
}

/** Keys of the JSON secrets the services read (created by the operator, see docs/deploy.md). */
export const TOKENS_SECRET_KEYS = ['BROKER_TRACK_TOKENS', 'BROKER_ADMIN_TOKENS'] as const;
export const CSP_SECRET_KEYS = ['CSP_API_TOKEN', 'NIOSXAAS_EMAIL', 'NIOSXAAS_PASSWORD'] as const;

/** By complete ARN when known, else by name (a partial ARN, which ECS and IAM both accept). */
function importSecret(
  scope: Construct,
  id: string,
  arn: string | undefined,
  name: string,
): secretsmanager.ISecret {
  return arn
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, arn)
    : secretsmanager.Secret.fromSecretNameV2(scope, id, name);
}

/**
 * The broker in one stack: VPC, DynamoDB table, ECS Fargate API (behind an HTTPS ALB with WAF)
 * and worker (exactly one task), logs, alarms and their SNS topic.
 */
export class BrokerStack extends Stack {
  readonly table: BrokerTable;
  readonly apiService: ecs.FargateService;
  readonly workerService: ecs.FargateService;
  readonly apiTaskDefinition: ecs.FargateTaskDefinition;
  readonly workerTaskDefinition: ecs.FargateTaskDefinition;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: BrokerStackProps) {
    super(scope, id, props);
    const config = props.config;
    const retention = config.logRetentionDays as logs.RetentionDays;

    if (config.certificateArn === PLACEHOLDER_CERTIFICATE_ARN) {
      Annotations.of(this).addWarningV2(
        'broker:placeholder-certificate',
        'certificateArn is the offline placeholder; pass -c certificateArn=<ACM ARN> to deploy.',
      );
    }

    // --- Network: public subnets for the ALB, private subnets (egress via NAT) for the tasks.
    const flowLogGroup = new logs.LogGroup(this, 'VpcFlowLogs', { retention });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: {
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup) },
      },
    });

    this.table = new BrokerTable(this, 'Pool', { tableName: config.tableName });
    const table = this.table.table;

    // --- Secrets: created and filled by the operator; only their names live here.
    const tokensSecret = importSecret(
      this,
      'TokensSecret',
      config.tokensSecretArn,
      config.tokensSecretName,
    );
    const cspSecret = importSecret(this, 'CspSecret', config.cspSecretArn, config.cspSecretName);

    const image = config.imageUri
      ? ecs.ContainerImage.fromRegistry(config.imageUri)
      : ecs.ContainerImage.fromEcrRepository(
          ecr.Repository.fromRepositoryName(this, 'ImageRepository', config.ecrRepositoryName),
          config.imageTag,
        );

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const commonEnvironment: Record<string, string> = {
      NODE_ENV: 'production',
      AWS_REGION: this.region,
      DDB_TABLE_NAME: table.tableName,
      LAB_DURATION_HOURS: String(config.labDurationHours),
      GRACE_PERIOD_MINUTES: String(config.gracePeriodMinutes),
      LOG_LEVEL: config.logLevel,
    };
    // Provider settings and secret: only the worker calls the provider (the API's admin triggers
    // record run requests the worker runs), so only the worker task gets them.
    const providerEnvironment: Record<string, string> = {
      CSP_BASE_URL: config.cspBaseUrl,
      NIOSXAAS_ENABLED: String(config.niosxaasEnabled),
      NIOSXAAS_BASE_URL: config.niosxaasBaseUrl,
      NIOSXAAS_SHADOW_MODE: String(config.niosxaasShadowMode),
    };
    const cspSecretKeys = config.niosxaasEnabled ? CSP_SECRET_KEYS : (['CSP_API_TOKEN'] as const);
    const cspSecrets = Object.fromEntries(
      cspSecretKeys.map((key) => [key, ecs.Secret.fromSecretsManager(cspSecret, key)]),
    );

    // --- API task.
    const apiLogGroup = new logs.LogGroup(this, 'ApiLogs', { retention });
    this.apiTaskDefinition = new ecs.FargateTaskDefinition(this, 'ApiTask', {
      cpu: config.apiCpu,
      memoryLimitMiB: config.apiMemoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.apiTaskDefinition.addContainer('api', {
      image,
      command: ['node', APP_ENTRYPOINTS.api],
      portMappings: [{ containerPort: API_PORT, name: 'http' }],
      environment: {
        ...commonEnvironment,
        HOST: '0.0.0.0',
        PORT: String(API_PORT),
        TRUST_PROXY: config.trustProxy,
        ...(config.corsAllowedOrigins ? { CORS_ALLOWED_ORIGINS: config.corsAllowedOrigins } : {}),
      },
      secrets: {
        ...Object.fromEntries(
          TOKENS_SECRET_KEYS.map((key) => [key, ecs.Secret.fromSecretsManager(tokensSecret, key)]),
        ),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: apiLogGroup, streamPrefix: 'api' }),
      healthCheck: {
        command: ['CMD', 'node', '-e', healthCheckScript(API_PORT)],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      stopTimeout: Duration.seconds(30),
    });
    this.table.grantAppAccess(this.apiTaskDefinition.taskRole);

    // --- Load balancer: HTTPS only (HTTP redirects), /readyz decides target health.
    const accessLogs = new s3.Bucket(this, 'AlbAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      idleTimeout: Duration.seconds(60),
    });
    this.loadBalancer.logAccessLogs(accessLogs, 'alb');
    this.loadBalancer.addRedirect({
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      sourcePort: 80,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
      targetPort: 443,
    });
    const httpsListener = this.loadBalancer.addListener('Https', {
      protocol: elbv2.ApplicationProtocol.HTTPS,
      port: 443,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      certificates: [
        acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn),
      ],
      open: true,
    });

    // Prometheus metrics stay inside the VPC; the internet only sees the API and health routes.
    httpsListener.addAction('BlockMetrics', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/metrics', '/metrics/*'])],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'text/plain',
        messageBody: 'Not Found',
      }),
    });

    this.apiService = new ecs.FargateService(this, 'ApiService', {
      cluster,
      taskDefinition: this.apiTaskDefinition,
      desiredCount: config.apiMinTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
    });
    const targetGroup = httpsListener.addTargets('Api', {
      port: API_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.apiService],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: '/readyz',
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    const scaling = this.apiService.autoScaleTaskCount({
      minCapacity: config.apiMinTasks,
      maxCapacity: config.apiMaxTasks,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: config.apiCpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.minutes(5),
    });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: config.apiRequestsPerTarget,
      targetGroup,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.minutes(5),
    });

    new BrokerWaf(this, 'Waf', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      rateLimitPer5Min: config.wafRateLimitPer5Min,
    });

    // --- Worker task: exactly one, plus the metrics collector sidecar.
    const workerLogGroup = new logs.LogGroup(this, 'WorkerLogs', { retention });
    const metricsLogGroup = new logs.LogGroup(this, 'WorkerMetricsLogs', { retention });
    this.workerTaskDefinition = new ecs.FargateTaskDefinition(this, 'WorkerTask', {
      cpu: config.workerCpu,
      memoryLimitMiB: config.workerMemoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.workerTaskDefinition.addContainer('worker', {
      image,
      command: ['node', APP_ENTRYPOINTS.worker],
      environment: {
        ...commonEnvironment,
        // The worker binds loopback (WORKER_HOST default): only the health check and the
        // collector sidecar, which share the task's network namespace, talk to it.
        WORKER_PORT: String(WORKER_PORT),
        SYNC_INTERVAL_SEC: String(config.syncIntervalSec),
        CLEANUP_INTERVAL_SEC: String(config.cleanupIntervalSec),
        EXPIRY_INTERVAL_SEC: String(config.expiryIntervalSec),
        ...providerEnvironment,
      },
      secrets: cspSecrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: workerLogGroup, streamPrefix: 'worker' }),
      healthCheck: {
        command: ['CMD', 'node', '-e', healthCheckScript(WORKER_PORT)],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // A job mid-run gets time to finish its current item and release its lease.
      stopTimeout: Duration.seconds(60),
    });
    this.workerTaskDefinition.addContainer('metrics-collector', {
      image: ecs.ContainerImage.fromRegistry(config.otelCollectorImage),
      // Losing metrics must not restart the worker.
      essential: false,
      cpu: 64,
      memoryReservationMiB: 128,
      environment: {
        AOT_CONFIG_CONTENT: collectorConfig({
          workerPort: WORKER_PORT,
          logGroupName: metricsLogGroup.logGroupName,
          region: this.region,
        }),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: workerLogGroup, streamPrefix: 'collector' }),
    });
    this.table.grantAppAccess(this.workerTaskDefinition.taskRole);
    this.workerTaskDefinition.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [metricsLogGroup.logGroupArn],
      }),
    );

    this.workerService = new ecs.FargateService(this, 'WorkerService', {
      cluster,
      taskDefinition: this.workerTaskDefinition,
      desiredCount: 1,
      // Never two workers at once: stop the old task before starting the new one.
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    // --- Alarms and where they go.
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Sandbox broker alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to an encrypted topic only if they may use its key.
    topicKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Sandbox broker alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    }
    new BrokerAlarms(this, 'Alarms', {
      topic: this.alarmTopic,
      loadBalancer: this.loadBalancer,
      targetGroup,
      jobIntervalsSec: {
        sync: config.syncIntervalSec,
        cleanup: config.cleanupIntervalSec,
        expiry: config.expiryIntervalSec,
      },
      jobMissedIntervals: config.jobMissedIntervals,
      poolAvailableThreshold: config.poolAvailableThreshold,
      deletionFailedThreshold: config.deletionFailedThreshold,
      api5xxPercentThreshold: config.api5xxPercentThreshold,
    });

    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.loadBalancer.loadBalancerDnsName });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });

    applyNagSuppressions(this, {
      table,
      taskDefinitions: [this.apiTaskDefinition, this.workerTaskDefinition],
      loadBalancer: this.loadBalancer,
      accessLogsBucket: accessLogs,
    });
  }
}
