import type { SandboxStatus } from '@broker/domain';
import { InMemorySandboxRepository } from '@broker/domain/testing';
import type { HarnessFactory } from './harness';

export const memoryHarnessFactory: HarnessFactory = ({ clock, lease }) => {
  const repo = new InMemorySandboxRepository({ clock, lease });
  return Promise.resolve({
    repo,
    // One process, one Map: a second instance would not share the store.
    secondRepo: repo,
    plantClaim: (claim, listed) => Promise.resolve(repo.plantClaim(claim, listed)),
    plantLateAllocation: (sandboxId, claim) => {
      repo.plantLateAllocation(sandboxId, claim);
      return Promise.resolve();
    },
    forceStatus: (sandboxId, status: SandboxStatus) =>
      Promise.resolve(repo.forceStatus(sandboxId, status)),
    readClaim: (studentId, key) => Promise.resolve(repo.claimOf(studentId, key)),
    allRows: () => Promise.resolve(repo.snapshot()),
    close: () => Promise.resolve(),
  });
};
