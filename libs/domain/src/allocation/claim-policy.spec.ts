import { SandboxStatus } from '../sandbox/sandbox-status';
import { CLAIM_POLICY, classifyClaim } from './claim-policy';

describe('classifyClaim', () => {
  const claim = { studentId: 's1', token: 't1', deadlineMs: 10_000 };

  it('is held while the sandbox is allocated under the claim token to the student', () => {
    const sandbox = { status: SandboxStatus.Allocated, ownerId: 's1', claimToken: 't1' };
    expect(classifyClaim(claim, sandbox, 99_999)).toBe('held');
  });

  it('is spent once that allocation was released or expired', () => {
    const sandbox = { status: SandboxStatus.PendingDeletion, ownerId: 's1', claimToken: 't1' };
    expect(classifyClaim(claim, sandbox, 0)).toBe('spent');
  });

  it('is in flight until the deadline plus the margin, then abandoned', () => {
    const other = { status: SandboxStatus.Allocated, ownerId: 's2', claimToken: 'x' };
    const edge = claim.deadlineMs + CLAIM_POLICY.takeoverMarginMs;
    expect(classifyClaim(claim, other, edge - 1)).toBe('in_flight');
    expect(classifyClaim(claim, null, edge - 1)).toBe('in_flight');
    expect(classifyClaim(claim, other, edge)).toBe('abandoned');
    expect(classifyClaim(claim, { status: SandboxStatus.Available }, edge)).toBe('abandoned');
  });

  it('never counts another student’s allocation as held, even with the same token', () => {
    const forged = { status: SandboxStatus.Allocated, ownerId: 's2', claimToken: 't1' };
    expect(classifyClaim(claim, forged, 0)).toBe('in_flight');
  });
});
