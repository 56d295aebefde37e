import { memoryStoreFactory } from './store-harness';
import { describeTransitionTableContract } from './transitions.contract';
import { describeAdminContract } from './admin.contract';
import {
  describeConcurrencyProof,
  describeSandboxRepositoryContract,
} from './sandbox-repository.contract';
import { memoryHarnessFactory } from './memory-harness';

describeSandboxRepositoryContract('in-memory', memoryHarnessFactory);
describeConcurrencyProof('in-memory', memoryHarnessFactory);
describeTransitionTableContract('in-memory', memoryStoreFactory);
describeAdminContract('in-memory', memoryStoreFactory);
