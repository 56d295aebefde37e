import {
  describeConcurrencyProof,
  describeSandboxRepositoryContract,
} from './sandbox-repository.contract';
import { memoryHarnessFactory } from './memory-harness';

describeSandboxRepositoryContract('in-memory', memoryHarnessFactory);
describeConcurrencyProof('in-memory', memoryHarnessFactory);
