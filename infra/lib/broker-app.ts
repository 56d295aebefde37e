import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BrokerStack } from './broker-stack';
import { readConfig } from './config';
import { RegistryStack } from './registry-stack';

export interface BrokerApp {
  readonly app: App;
  readonly registry: RegistryStack;
  readonly broker: BrokerStack;
}

export interface BrokerAppOptions {
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
}

/**
 * Builds the CDK app (both stacks) with cdk-nag's AWS Solutions pack registered as a validation
 * plugin: synthesis fails on any finding that is not acknowledged with a reason.
 */
export function createBrokerApp(options: BrokerAppOptions = {}): BrokerApp {
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = readConfig(app.node);
  const env = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const registry = new RegistryStack(app, 'SandboxBrokerRegistry', {
    env,
    repositoryName: config.ecrRepositoryName,
    description: 'Sandbox broker container image repository',
  });
  const broker = new BrokerStack(app, 'SandboxBroker', {
    env,
    config,
    description: 'Sandbox broker: DynamoDB table, ECS Fargate API and worker, ALB + WAF, alarms',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, registry, broker };
}
