import { DEFAULT_TABLE_NAME } from '@broker/dynamo-repo/schema';
import type { Node } from 'constructs';

/**
 * Everything the stacks take from CDK context (`cdk.json`, `-c key=value`, or the App's `context`).
 * Every value has a default so `synth` works offline with no AWS account; deploy-time values
 * (certificate, image tag, alarm e-mail) are documented in docs/deploy.md.
 */
export interface BrokerConfig {
  readonly region: string;
  /** Unset keeps the stack account-agnostic (no lookups; AZs via Fn::GetAZs). */
  readonly account: string | undefined;
  readonly tableName: string;
  /** ECR repository (created by the registry stack) and the tag to deploy. */
  readonly ecrRepositoryName: string;
  readonly imageTag: string;
  /** A full image reference outside ECR (overrides repository + tag). */
  readonly imageUri: string | undefined;
  /** ACM certificate for the HTTPS listener; the placeholder only serves offline synthesis. */
  readonly certificateArn: string;
  readonly natGateways: number;
  readonly apiMinTasks: number;
  readonly apiMaxTasks: number;
  readonly apiCpu: number;
  readonly apiMemoryMiB: number;
  readonly workerCpu: number;
  readonly workerMemoryMiB: number;
  readonly apiCpuTargetPercent: number;
  readonly apiRequestsPerTarget: number;
  /** Secrets Manager secret names (JSON secrets; keys listed in docs/deploy.md). */
  readonly tokensSecretName: string;
  readonly cspSecretName: string;
  /** Complete secret ARNs (with the 6-character suffix); when set they win over the names. */
  readonly tokensSecretArn: string | undefined;
  readonly cspSecretArn: string | undefined;
  readonly cspBaseUrl: string;
  readonly niosxaasEnabled: boolean;
  readonly niosxaasBaseUrl: string;
  /** NIOSXaaS clean-up only logs what it would delete until this is false. */
  readonly niosxaasShadowMode: boolean;
  readonly labDurationHours: number;
  readonly gracePeriodMinutes: number;
  readonly logLevel: string;
  readonly corsAllowedOrigins: string;
  /** Fastify `trustProxy`: one hop (the ALB) so X-Forwarded-For cannot be spoofed further left. */
  readonly trustProxy: string;
  readonly syncIntervalSec: number;
  readonly cleanupIntervalSec: number;
  readonly expiryIntervalSec: number;
  readonly logRetentionDays: number;
  readonly alarmEmail: string | undefined;
  readonly poolAvailableThreshold: number;
  readonly deletionFailedThreshold: number;
  readonly api5xxPercentThreshold: number;
  /** A job alarm fires after this many intervals without a successful run. */
  readonly jobMissedIntervals: number;
  readonly wafRateLimitPer5Min: number;
  readonly otelCollectorImage: string;
}

export const PLACEHOLDER_CERTIFICATE_ARN =
  'arn:aws:acm:eu-central-1:000000000000:certificate/00000000-0000-0000-0000-000000000000';

export const CONTEXT_DEFAULTS = {
  region: 'eu-central-1',
  tableName: DEFAULT_TABLE_NAME,
  ecrRepositoryName: 'sandbox-broker',
  imageTag: 'latest',
  certificateArn: PLACEHOLDER_CERTIFICATE_ARN,
  natGateways: 1,
  apiMinTasks: 2,
  apiMaxTasks: 10,
  apiCpu: 512,
  apiMemoryMiB: 1024,
  workerCpu: 256,
  workerMemoryMiB: 512,
  apiCpuTargetPercent: 60,
  apiRequestsPerTarget: 1000,
  tokensSecretName: 'sandbox-broker/tokens',
  cspSecretName: 'sandbox-broker/csp',
  cspBaseUrl: 'https://csp.infoblox.com/v2',
  niosxaasEnabled: false,
  niosxaasBaseUrl: 'https://csp.infoblox.com',
  niosxaasShadowMode: true,
  labDurationHours: 48,
  gracePeriodMinutes: 30,
  logLevel: 'info',
  corsAllowedOrigins: '',
  trustProxy: '1',
  syncIntervalSec: 600,
  cleanupIntervalSec: 300,
  expiryIntervalSec: 300,
  logRetentionDays: 30,
  poolAvailableThreshold: 10,
  deletionFailedThreshold: 5,
  api5xxPercentThreshold: 5,
  jobMissedIntervals: 3,
  wafRateLimitPer5Min: 2000,
  otelCollectorImage: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
} as const;

function raw(node: Node, key: string): unknown {
  const value: unknown = node.tryGetContext(key);
  return value === '' ? undefined : value;
}

function str(node: Node, key: keyof typeof CONTEXT_DEFAULTS): string {
  const value = raw(node, key);
  if (value === undefined) return String(CONTEXT_DEFAULTS[key]);
  if (typeof value !== 'string') throw new Error(`context "${key}" must be a string`);
  return value;
}

function optionalStr(node: Node, key: string): string | undefined {
  const value = raw(node, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`context "${key}" must be a string`);
  return value;
}

/** `-c key=5` arrives as a string, cdk.json values as numbers: accept both. */
function int(node: Node, key: keyof typeof CONTEXT_DEFAULTS, min: number): number {
  const value = raw(node, key) ?? CONTEXT_DEFAULTS[key];
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`context "${key}" must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function bool(node: Node, key: keyof typeof CONTEXT_DEFAULTS): boolean {
  const value = raw(node, key) ?? CONTEXT_DEFAULTS[key];
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

export function readConfig(node: Node): BrokerConfig {
  const config: BrokerConfig = {
    region: str(node, 'region'),
    account: optionalStr(node, 'account'),
    tableName: str(node, 'tableName'),
    ecrRepositoryName: str(node, 'ecrRepositoryName'),
    imageTag: str(node, 'imageTag'),
    imageUri: optionalStr(node, 'imageUri'),
    certificateArn: str(node, 'certificateArn'),
    natGateways: int(node, 'natGateways', 1),
    apiMinTasks: int(node, 'apiMinTasks', 2),
    apiMaxTasks: int(node, 'apiMaxTasks', 2),
    apiCpu: int(node, 'apiCpu', 256),
    apiMemoryMiB: int(node, 'apiMemoryMiB', 512),
    workerCpu: int(node, 'workerCpu', 256),
    workerMemoryMiB: int(node, 'workerMemoryMiB', 512),
    apiCpuTargetPercent: int(node, 'apiCpuTargetPercent', 10),
    apiRequestsPerTarget: int(node, 'apiRequestsPerTarget', 1),
    tokensSecretName: str(node, 'tokensSecretName'),
    cspSecretName: str(node, 'cspSecretName'),
    tokensSecretArn: optionalStr(node, 'tokensSecretArn'),
    cspSecretArn: optionalStr(node, 'cspSecretArn'),
    cspBaseUrl: str(node, 'cspBaseUrl'),
    niosxaasEnabled: bool(node, 'niosxaasEnabled'),
    niosxaasBaseUrl: str(node, 'niosxaasBaseUrl'),
    niosxaasShadowMode: bool(node, 'niosxaasShadowMode'),
    labDurationHours: int(node, 'labDurationHours', 1),
    gracePeriodMinutes: int(node, 'gracePeriodMinutes', 0),
    logLevel: str(node, 'logLevel'),
    corsAllowedOrigins: str(node, 'corsAllowedOrigins'),
    trustProxy: str(node, 'trustProxy'),
    syncIntervalSec: int(node, 'syncIntervalSec', 60),
    cleanupIntervalSec: int(node, 'cleanupIntervalSec', 60),
    expiryIntervalSec: int(node, 'expiryIntervalSec', 60),
    logRetentionDays: int(node, 'logRetentionDays', 1),
    alarmEmail: optionalStr(node, 'alarmEmail'),
    poolAvailableThreshold: int(node, 'poolAvailableThreshold', 0),
    deletionFailedThreshold: int(node, 'deletionFailedThreshold', 1),
    api5xxPercentThreshold: int(node, 'api5xxPercentThreshold', 1),
    jobMissedIntervals: int(node, 'jobMissedIntervals', 1),
    wafRateLimitPer5Min: int(node, 'wafRateLimitPer5Min', 100),
    otelCollectorImage: str(node, 'otelCollectorImage'),
  };
  if (config.apiMaxTasks < config.apiMinTasks) {
    throw new Error('context "apiMaxTasks" must be >= "apiMinTasks"');
  }
  return config;
}
