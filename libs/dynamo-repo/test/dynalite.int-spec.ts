import { dynamoStoreFactory } from './store-harness';
import { describeTransitionTableContract } from './transitions.contract';
import { describeAdminContract } from './admin.contract';
import { type RunningEngine, startDynalite } from '../src/testing';
import { dynamoHarnessFactory } from './dynamo-harness';
import {
  describeConcurrencyProof,
  describeSandboxRepositoryContract,
} from './sandbox-repository.contract';

let engine: RunningEngine;

beforeAll(async () => {
  engine = await startDynalite();
});

afterAll(async () => {
  await engine?.stop();
});

const factory = dynamoHarnessFactory(() => engine.endpoint);
describeSandboxRepositoryContract('dynalite', factory);
describeConcurrencyProof('dynalite', factory);
describeTransitionTableContract(
  'dynalite',
  dynamoStoreFactory(() => engine.endpoint),
);
describeAdminContract(
  'dynalite',
  dynamoStoreFactory(() => engine.endpoint),
);
