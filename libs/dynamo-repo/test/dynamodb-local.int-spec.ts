import { isJavaAvailable, type RunningEngine, startDynamoDbLocal } from '../src/testing';
import { dynamoHarnessFactory } from './dynamo-harness';
import {
  describeConcurrencyProof,
  describeSandboxRepositoryContract,
} from './sandbox-repository.contract';

const java = isJavaAvailable();
if (!java) {
  console.warn('NOTICE: `java` is not on PATH: the DynamoDB Local contract tests are SKIPPED.');
}

(java ? describe : describe.skip)('DynamoDB Local', () => {
  let engine: RunningEngine | null = null;

  beforeAll(async () => {
    engine = await startDynamoDbLocal();
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
  });

  const factory = dynamoHarnessFactory(() => {
    if (!engine) throw new Error('DynamoDB Local is not running');
    return engine.endpoint;
  });
  describeSandboxRepositoryContract('DynamoDB Local', factory);
  describeConcurrencyProof('DynamoDB Local', factory);
});
