import { type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';

export interface NagTargets {
  readonly table: dynamodb.Table;
  readonly taskDefinitions: readonly ecs.FargateTaskDefinition[];
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * Every accepted cdk-nag finding, each acknowledged on the narrowest construct with the reason it
 * is acceptable here. Anything not listed fails synthesis.
 */
export function applyNagSuppressions(stack: Stack, targets: NagTargets): void {
  const tableLogicalId = stack.getLogicalId(targets.table.node.defaultChild as CfnElement);
  for (const taskDefinition of targets.taskDefinitions) {
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only non-secret settings (table name, region, ports, intervals, URLs) are plain environment ' +
        'values; every token and credential is injected from Secrets Manager.',
    });
    Validations.of(taskDefinition.taskRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      reason:
        'Item-level actions on the broker table and its own indexes only; queries need the index ARNs ' +
        'and listing each index would drift from the schema module.',
    });
    if (taskDefinition.executionRole) {
      Validations.of(taskDefinition.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken cannot be scoped to a resource; image pulls themselves are ' +
          'limited to the broker repository.',
      });
    }
  }
  Validations.of(targets.accessLogsBucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'This bucket receives the ALB access logs; logging access to the log bucket itself would recurse.',
  });
  for (const securityGroup of targets.loadBalancer.connections.securityGroups) {
    Validations.of(securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'The API serves Instruqt lab scripts from arbitrary internet addresses; the listener allows ' +
        'only 80 (redirect) and 443, and WAF (managed rules + per-IP rate limit) fronts it.',
    });
  }
}
