import { Template } from 'aws-cdk-lib/assertions';
import { createBrokerApp, type BrokerApp } from '../lib/broker-app';

/** Deploy-like context: a real-looking certificate, NIOSXaaS on (so every secret is wired). */
export const TEST_CONTEXT = {
  certificateArn:
    'arn:aws:acm:eu-central-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  imageTag: 'test-sha',
  niosxaasEnabled: 'true',
  alarmEmail: 'ops@example.com',
} as const;

export interface SynthesisedBroker extends BrokerApp {
  readonly template: Template;
}

/** Synthesises the app (cdk-nag runs as a validation plugin and fails synthesis on findings). */
export function synthBroker(context: Record<string, unknown> = {}): SynthesisedBroker {
  const built = createBrokerApp({ context: { ...TEST_CONTEXT, ...context } });
  return { ...built, template: Template.fromStack(built.broker) };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The single resource of a type whose logical id starts with the given prefix. */
export function resourceNamed(
  template: Template,
  type: string,
  logicalIdPrefix: string,
): { id: string; properties: Record<string, unknown> } {
  const matches = Object.entries(resourcesOfType(template, type)).filter(([id]) =>
    id.startsWith(logicalIdPrefix),
  );
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} named ${logicalIdPrefix}*, found ${matches.length}`);
  }
  const [id, resource] = matches[0]!;
  return { id, properties: resource.Properties ?? {} };
}
