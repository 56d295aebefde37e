import { dynamoStoreFactory } from './store-harness';
import { describeTransitionTableContract } from './transitions.contract';
import { describeAdminContract } from './admin.contract';
import { aProviderPool, FixedClock } from '@broker/domain/testing';
import { DynamoSandboxRepository, lowLevelClientOf } from '../src';
import {
  createTestTable,
  isJavaAvailable,
  type RunningEngine,
  startDynamoDbLocal,
} from '../src/testing';
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

  // dynalite ignores ReturnValuesOnConditionCheckFailure; DynamoDB Local honours it like AWS.
  it('a repeat allocation takes the existing claim from the failed put (no claim read)', async () => {
    const { client, tableName } = await createTestTable(engine?.endpoint ?? '');
    try {
      const reads: string[] = [];
      lowLevelClientOf(client).middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'GetItemCommand') {
            const key = (args.input as { Key?: { PK?: { S?: string } } }).Key;
            reads.push(key?.PK?.S ?? '');
          }
          return next(args);
        },
        { step: 'initialize', name: 'countReads' },
      );
      const repo = new DynamoSandboxRepository({
        client,
        tableName,
        clock: new FixedClock(),
        lease: { leaseSeconds: 3600, graceSeconds: 60 },
      });
      for (const sandbox of aProviderPool(3)) await repo.upsertFromProvider(sandbox);
      const first = await repo.allocate({ studentId: 'st', idempotencyKey: 'st' });
      expect(reads).toEqual([]);
      const repeat = await repo.allocate({ studentId: 'st', idempotencyKey: 'st' });
      expect(repeat).toEqual({ sandbox: first.sandbox, created: false });
      expect(reads).toEqual([`SBX#${first.sandbox.sandboxId}`]);
    } finally {
      client.destroy();
    }
  });
  describeConcurrencyProof('DynamoDB Local', factory);
  const storeFactory = dynamoStoreFactory(() => engine?.endpoint ?? '');
  describeTransitionTableContract('DynamoDB Local', storeFactory);
  describeAdminContract('DynamoDB Local', storeFactory);
});
