import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';

export interface RegistryStackProps extends StackProps {
  readonly repositoryName: string;
}

/**
 * The image repository, in its own stack so an image can be pushed before the services that run
 * it are first deployed.
 */
export class RegistryStack extends Stack {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      // Deploy by immutable tag (the git sha) so a rollback redeploys exactly the old image.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      lifecycleRules: [{ description: 'keep the last 50 images', maxImageCount: 50 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
