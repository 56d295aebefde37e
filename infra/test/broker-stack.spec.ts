import {
  ALL_INDEXES,
  KEY_ATTRIBUTE_DEFINITIONS,
  KEY_ATTRIBUTES,
  TTL_ATTRIBUTE,
} from '@broker/dynamo-repo/schema';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { APP_ENTRYPOINTS } from '../lib/app-entrypoints';
import { CSP_SECRET_KEYS, TOKENS_SECRET_KEYS } from '../lib/broker-stack';
import { JOB_DIMENSION, WORKER_JOBS, WORKER_METRICS } from '../lib/worker-metrics';
import {
  resourceNamed,
  resourcesOfType,
  synthBroker,
  TEST_CONTEXT,
  type SynthesisedBroker,
} from './broker-fixture';

// One synthesis for the whole file: synthesis dominates the run time.
let synth: SynthesisedBroker;
let template: Template;
beforeAll(() => {
  synth = synthBroker();
  template = synth.template;
});

interface ContainerDefinition {
  Name: string;
  Command?: string[];
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  HealthCheck?: { Command: string[] };
  Essential?: boolean;
}

function containers(taskLogicalIdPrefix: string): ContainerDefinition[] {
  const task = resourceNamed(template, 'AWS::ECS::TaskDefinition', taskLogicalIdPrefix);
  return task.properties['ContainerDefinitions'] as ContainerDefinition[];
}

function container(taskLogicalIdPrefix: string, name: string): ContainerDefinition {
  const found = containers(taskLogicalIdPrefix).find((c) => c.Name === name);
  if (!found) throw new Error(`no container ${name} in ${taskLogicalIdPrefix}`);
  return found;
}

function envOf(c: ContainerDefinition): Record<string, unknown> {
  return Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value]));
}

/** Every IAM policy document attached to a role whose logical id starts with the prefix. */
function policiesOfRole(rolePrefix: string): string {
  const role = resourceNamed(template, 'AWS::IAM::Role', rolePrefix);
  const attached = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties?.['Roles']).includes(`"${role.id}"`),
  );
  expect(attached.length).toBeGreaterThan(0);
  return JSON.stringify([attached, role.properties['Policies'] ?? []]);
}

describe('DynamoDB table (from @broker/dynamo-repo/schema)', () => {
  interface TableResource {
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
    Properties: {
      TableName: string;
      BillingMode: string;
      KeySchema: { AttributeName: string; KeyType: string }[];
      AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
      GlobalSecondaryIndexes: {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: string }[];
        Projection: { ProjectionType: string };
      }[];
      PointInTimeRecoverySpecification: unknown;
      SSESpecification: unknown;
      TimeToLiveSpecification: unknown;
      DeletionProtectionEnabled: boolean;
    };
  }
  let table: TableResource;
  beforeAll(() => {
    const tables = Object.values(resourcesOfType(template, 'AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(1);
    table = tables[0] as unknown as TableResource;
  });

  it('uses the schema key attributes and the default table name', () => {
    expect(table.Properties.TableName).toBe('sandbox-broker');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: KEY_ATTRIBUTES.partition, KeyType: 'HASH' },
      { AttributeName: KEY_ATTRIBUTES.sort, KeyType: 'RANGE' },
    ]);
  });

  it('declares exactly the schema attribute definitions', () => {
    const byName = (a: { AttributeName: string }, b: { AttributeName: string }) =>
      a.AttributeName.localeCompare(b.AttributeName);
    const expected = KEY_ATTRIBUTE_DEFINITIONS.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    }));
    expect([...table.Properties.AttributeDefinitions].sort(byName)).toEqual(expected.sort(byName));
  });

  it('has one GSI per schema index, with its keys and projection', () => {
    const indexes = table.Properties.GlobalSecondaryIndexes;
    expect(indexes).toHaveLength(ALL_INDEXES.length);
    for (const index of ALL_INDEXES) {
      expect(indexes.find((g) => g.IndexName === index.name)).toEqual({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      });
    }
  });

  it('is on-demand, point-in-time recoverable, encrypted, TTL-enabled and protected', () => {
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: TTL_ATTRIBUTE,
      Enabled: true,
    });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('ECS services', () => {
  it('runs exactly one worker and never two during a deployment', () => {
    const worker = resourceNamed(template, 'AWS::ECS::Service', 'WorkerService').properties;
    expect(worker['DesiredCount']).toBe(1);
    expect(worker['DeploymentConfiguration']).toMatchObject({
      MinimumHealthyPercent: 0,
      MaximumPercent: 100,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
    const scaled = JSON.stringify(
      resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget'),
    );
    expect(scaled).not.toContain('WorkerService');
  });

  it('runs at least two API tasks with rolling, self-reverting deployments', () => {
    const api = resourceNamed(template, 'AWS::ECS::Service', 'ApiService').properties;
    expect(api['DesiredCount']).toBeGreaterThanOrEqual(2);
    expect(api['DeploymentConfiguration']).toMatchObject({
      MinimumHealthyPercent: 100,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
    const subnets = (api['NetworkConfiguration'] as { AwsvpcConfiguration: { Subnets: unknown[] } })
      .AwsvpcConfiguration.Subnets;
    expect(subnets.length).toBeGreaterThanOrEqual(2);
  });

  it('scales the API on CPU and on requests per target, never below two tasks', () => {
    const targets = Object.values(
      resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget'),
    );
    expect(targets).toHaveLength(1);
    expect(targets[0]!.Properties).toMatchObject({ MinCapacity: 2, MaxCapacity: 10 });
    const metricTypes = Object.values(
      resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy'),
    ).map(
      (p) =>
        (
          p.Properties!['TargetTrackingScalingPolicyConfiguration'] as {
            PredefinedMetricSpecification: { PredefinedMetricType: string };
          }
        ).PredefinedMetricSpecification.PredefinedMetricType,
    );
    expect(metricTypes.sort()).toEqual([
      'ALBRequestCountPerTarget',
      'ECSServiceAverageCPUUtilization',
    ]);
  });

  it('starts each service from the one image with its app entrypoint', () => {
    const api = container('ApiTask', 'api');
    const worker = container('WorkerTask', 'worker');
    expect(api.Command).toEqual(['node', APP_ENTRYPOINTS.api]);
    expect(worker.Command).toEqual(['node', APP_ENTRYPOINTS.worker]);
    expect(JSON.stringify(api)).toContain(`:${TEST_CONTEXT.imageTag}`);
    expect(JSON.stringify(worker)).toContain(`:${TEST_CONTEXT.imageTag}`);
    expect(api.HealthCheck?.Command.join(' ')).toContain('127.0.0.1:8080/healthz');
    expect(worker.HealthCheck?.Command.join(' ')).toContain('127.0.0.1:9464/healthz');
  });

  it('configures the apps for AWS DynamoDB, not a local endpoint', () => {
    const api = envOf(container('ApiTask', 'api'));
    const worker = envOf(container('WorkerTask', 'worker'));
    expect(api).toMatchObject({ NODE_ENV: 'production', PORT: '8080', HOST: '0.0.0.0' });
    expect(worker).toMatchObject({ NODE_ENV: 'production', WORKER_PORT: '9464' });
    expect(worker).toMatchObject({
      SYNC_INTERVAL_SEC: '600',
      CLEANUP_INTERVAL_SEC: '300',
      EXPIRY_INTERVAL_SEC: '300',
      CSP_BASE_URL: 'https://csp.infoblox.com/v2',
      NIOSXAAS_ENABLED: 'true',
    });
    for (const env of [api, worker]) {
      expect(env['DDB_TABLE_NAME']).toBeDefined();
      expect(env['DDB_ENDPOINT_URL']).toBeUndefined();
    }
  });

  it('keeps the metrics collector sidecar non-essential', () => {
    const collector = container('WorkerTask', 'metrics-collector');
    expect(collector.Essential).toBe(false);
    // The log group name is a token, so the configuration is an Fn::Join.
    const config = JSON.stringify(envOf(collector)['AOT_CONFIG_CONTENT']);
    expect(config).toContain('127.0.0.1:9464');
    expect(config).toContain('SandboxBroker');
  });
});

describe('secrets', () => {
  it('injects only the tokens into the API: no CSP secret or setting (the worker runs admin jobs)', () => {
    const api = container('ApiTask', 'api');
    expect((api.Secrets ?? []).map((s) => s.Name).sort()).toEqual([...TOKENS_SECRET_KEYS].sort());
    expect(JSON.stringify(api.Secrets)).toContain(':secret:sandbox-broker/tokens:');
    expect(JSON.stringify(api.Secrets)).not.toContain('sandbox-broker/csp');
    for (const name of Object.keys(envOf(api))) expect(name).not.toMatch(/^(CSP|NIOSXAAS)_/);
  });

  it('injects the CSP and NIOSXaaS credentials into the worker, never the API tokens', () => {
    const worker = container('WorkerTask', 'worker');
    expect((worker.Secrets ?? []).map((s) => s.Name).sort()).toEqual([...CSP_SECRET_KEYS].sort());
    expect(JSON.stringify(worker.Secrets)).toContain(':secret:sandbox-broker/csp:');
    expect(JSON.stringify(worker.Secrets)).not.toContain('sandbox-broker/tokens');
  });

  it('has no token, password or secret in any container environment', () => {
    const all = [...containers('ApiTask'), ...containers('WorkerTask')];
    for (const c of all) {
      for (const name of Object.keys(envOf(c))) {
        expect(name).not.toMatch(/TOKEN|PASSWORD|SECRET|EMAIL/);
      }
    }
  });

  it('wires only the CSP token when NIOSXaaS is off', () => {
    const off = synthBroker({ niosxaasEnabled: 'false', tableName: 'broker-staging' });
    const worker = (
      Object.entries(off.template.findResources('AWS::ECS::TaskDefinition')).find(([id]) =>
        id.startsWith('WorkerTask'),
      )![1] as { Properties: { ContainerDefinitions: ContainerDefinition[] } }
    ).Properties.ContainerDefinitions.find((c) => c.Name === 'worker')!;
    expect((worker.Secrets ?? []).map((s) => s.Name)).toEqual(['CSP_API_TOKEN']);
    off.template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'broker-staging' });
  });
});

describe('IAM least privilege', () => {
  const forbiddenTableActions = [
    'dynamodb:*',
    'dynamodb:DeleteTable',
    'dynamodb:CreateTable',
    'dynamodb:UpdateTable',
    'dynamodb:Scan',
  ];

  it('gives the API task role item-level table actions only', () => {
    const api = policiesOfRole('ApiTaskTaskRole');
    expect(api).toContain('dynamodb:UpdateItem');
    expect(api).toContain('dynamodb:Query');
    for (const action of forbiddenTableActions) expect(api).not.toContain(`"${action}"`);
  });

  it('grants no table-management action to any role in the stack', () => {
    const everything = JSON.stringify(resourcesOfType(template, 'AWS::IAM::Policy'));
    for (const action of forbiddenTableActions) expect(everything).not.toContain(`"${action}"`);
  });

  it('lets only the worker execution role read the CSP secret, and only the API the tokens', () => {
    for (const role of ['ApiTaskTaskRole', 'WorkerTaskTaskRole']) {
      expect(policiesOfRole(role)).not.toContain('sandbox-broker/csp');
      expect(policiesOfRole(role)).not.toContain('secretsmanager:GetSecretValue');
    }
    expect(policiesOfRole('ApiTaskExecutionRole')).not.toContain('sandbox-broker/csp');
    expect(policiesOfRole('ApiTaskExecutionRole')).toContain('sandbox-broker/tokens');
    const workerExecution = policiesOfRole('WorkerTaskExecutionRole');
    expect(workerExecution).toContain('secretsmanager:GetSecretValue');
    expect(workerExecution).toContain('sandbox-broker/csp');
    expect(workerExecution).not.toContain('sandbox-broker/tokens');
  });
});

describe('edge: ALB and WAF', () => {
  it('serves HTTPS with the context certificate and redirects HTTP', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: TEST_CONTEXT.certificateArn }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
        },
      ],
    });
  });

  it('answers /metrics with 404 at the edge', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/metrics', '/metrics/*'] } },
      ],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    });
  });

  it('health-checks targets on /readyz', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      Port: 8080,
    });
  });

  it('puts a WebACL with managed rule sets and a rate rule in front of the ALB', () => {
    const acl = resourceNamed(template, 'AWS::WAFv2::WebACL', 'Waf').properties as {
      Scope: string;
      Rules: { Name: string; Statement: Record<string, unknown> }[];
    };
    expect(acl.Scope).toBe('REGIONAL');
    const byName = Object.fromEntries(acl.Rules.map((r) => [r.Name, r.Statement]));
    expect(byName['AWSManagedRulesCommonRuleSet']).toEqual({
      ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
    });
    expect(byName['AWSManagedRulesKnownBadInputsRuleSet']).toEqual({
      ManagedRuleGroupStatement: {
        VendorName: 'AWS',
        Name: 'AWSManagedRulesKnownBadInputsRuleSet',
      },
    });
    expect(byName['RateLimitPerSourceIp']).toEqual({
      RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
    });
    const association = Object.values(resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation'));
    expect(association).toHaveLength(1);
    expect(JSON.stringify(association[0]!.Properties)).toContain('"Ref":"Alb');
  });
});

describe('observability', () => {
  type AlarmProps = Record<string, unknown> & { AlarmActions?: unknown[] };
  let alarms: Record<string, AlarmProps>;
  beforeAll(() => {
    alarms = Object.fromEntries(
      Object.entries(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map(([id, r]) => [
        id,
        r.Properties as AlarmProps,
      ]),
    );
  });
  const alarm = (prefix: string): AlarmProps => {
    const found = Object.entries(alarms).filter(([id]) => id.startsWith(prefix));
    expect(found).toHaveLength(1);
    return found[0]![1];
  };

  it('alarms on a low pool, quarantined sandboxes and cleanup failures', () => {
    expect(alarm('AlarmsPoolAvailableLow')).toMatchObject({
      Namespace: 'SandboxBroker',
      MetricName: WORKER_METRICS.poolAvailable,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 10,
    });
    expect(alarm('AlarmsSandboxesQuarantined')).toMatchObject({
      MetricName: WORKER_METRICS.poolQuarantined,
      Threshold: 0,
    });
    expect(alarm('AlarmsCleanupFailures')).toMatchObject({
      MetricName: WORKER_METRICS.poolDeletionFailed,
    });
  });

  it('alarms when a worker job has not succeeded for N intervals, or reports nothing', () => {
    for (const job of WORKER_JOBS) {
      const props = alarm(`AlarmsJobNotSucceeding${job}`);
      expect(props['TreatMissingData']).toBe('breaching');
      const text = JSON.stringify(props['Metrics']);
      expect(text).toContain(WORKER_METRICS.jobLastSuccess);
      expect(text).toContain(`{"Name":"${JOB_DIMENSION}","Value":"${job}"}`);
    }
    // sync runs every 600 s; 3 missed intervals = a 30-minute window
    expect(JSON.stringify(alarm('AlarmsJobNotSucceedingsync')['Metrics'])).toContain(
      '"Period":1800',
    );
  });

  it('alarms on the API 5xx rate from ALB metrics', () => {
    const text = JSON.stringify(alarm('AlarmsApi5xxRate')['Metrics']);
    expect(text).toContain('HTTPCode_Target_5XX_Count');
    expect(text).toContain('HTTPCode_ELB_5XX_Count');
    expect(text).toContain('RequestCount');
  });

  it('sends every alarm to the encrypted SNS topic', () => {
    const topic = resourceNamed(template, 'AWS::SNS::Topic', 'AlarmTopic');
    expect(topic.properties['KmsMasterKeyId']).toBeDefined();
    expect(Object.keys(alarms).length).toBeGreaterThanOrEqual(8);
    for (const props of Object.values(alarms)) {
      expect(props.AlarmActions).toEqual([{ Ref: topic.id }]);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: TEST_CONTEXT.alarmEmail,
    });
  });

  it('gives every log group a retention', () => {
    const groups = Object.values(resourcesOfType(template, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(4);
    for (const group of groups) expect(group.Properties?.['RetentionInDays']).toBe(30);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding in either stack', () => {
    for (const stack of [synth.broker, synth.registry]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      const findings = report.violations.map(
        (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    }
  });

  it('gives every acknowledgement a written reason', () => {
    const acknowledgements = synth.broker.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      // CDK itself acknowledges some CloudFormation-Validate rules; ours are the nag ones.
      .filter(([id]) => id.includes('AwsSolutions-'));
    expect(acknowledgements.length).toBeGreaterThanOrEqual(5);
    for (const [, reason] of acknowledgements) expect(reason.length).toBeGreaterThan(40);
  });
});

describe('template snapshot', () => {
  /** Asset hashes and image digests change with unrelated edits; everything else must not. */
  function normalise(value: unknown): unknown {
    return JSON.parse(
      JSON.stringify(value)
        .replace(/[0-9a-f]{64}/g, '<hash>')
        .replace(/@sha256:[0-9a-f]+/g, '@sha256:<digest>'),
    );
  }

  it('matches the stored snapshot', () => {
    expect(normalise(template.toJSON())).toMatchSnapshot();
  });
});
