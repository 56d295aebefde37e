import {
  CLAIM_POLICY,
  type ClaimRepairOutcome,
  type Clock,
  type SandboxEventLog,
  type SandboxRepository,
} from '@broker/domain';
import {
  errorText,
  silentJobLogger,
  type Job,
  type JobContext,
  type JobLogger,
} from '../runner/job';

export type ClaimRepairResult = Record<ClaimRepairOutcome, number> & { failed: number };

export interface ClaimRepairDeps {
  readonly pool: Pick<SandboxRepository, 'listOpenClaims' | 'repairClaim'>;
  readonly clock: Clock;
  readonly logger?: JobLogger;
  /**
   * Audit trail. Repairs change a claim, not the sandbox's status (a confirmed claim's allocation
   * was the student's transition), so they are `admin_action` events: `claim_confirmed`,
   * `claim_abandoned`.
   */
  readonly events?: SandboxEventLog;
}

/**
 * Allocation claims whose writer missed its deadline (crash between claim and allocation, or a
 * superseded writer's late allocation) are confirmed or cleaned up by the repository's repair.
 */
export class ClaimRepairJob implements Job<ClaimRepairResult> {
  readonly name = 'claim-repair' as const;

  constructor(
    private readonly deps: ClaimRepairDeps,
    private readonly options: { batchSize?: number; maxPerRun?: number } = {},
  ) {}

  async run(ctx: JobContext): Promise<ClaimRepairResult> {
    const { pool, clock } = this.deps;
    const logger = this.deps.logger ?? silentJobLogger;
    const batchSize = this.options.batchSize ?? 100;
    const maxPerRun = this.options.maxPerRun ?? 10_000;
    const result: ClaimRepairResult = { confirmed: 0, abandoned: 0, skipped: 0, failed: 0 };
    const seen = new Set<string>();
    while (seen.size < maxPerRun && !ctx.stop.aborted) {
      // Only claims whose writer is past its deadline and the takeover margin.
      const olderThanMs = clock.nowMs() - CLAIM_POLICY.takeoverMarginMs;
      const claims = (await pool.listOpenClaims(olderThanMs, batchSize)).filter(
        (c) => !seen.has(`${c.studentId}\u0000${c.idempotencyKey}\u0000${c.token}`),
      );
      if (claims.length === 0) break;
      for (const claim of claims) {
        if (ctx.stop.aborted) break;
        seen.add(`${claim.studentId}\u0000${claim.idempotencyKey}\u0000${claim.token}`);
        try {
          const outcome = await pool.repairClaim(claim);
          result[outcome] += 1;
          if (outcome !== 'skipped') {
            this.deps.events?.record({
              type: 'admin_action',
              sandboxId: claim.sandboxId,
              actor: { kind: 'job', id: this.name },
              action: `claim_${outcome}`,
              details: { student_id: claim.studentId, idempotency_key: claim.idempotencyKey },
            });
          }
        } catch (error) {
          result.failed += 1;
          logger.warn(
            { job: this.name, sandboxId: claim.sandboxId, err: errorText(error) },
            'claim repair failed',
          );
        }
      }
    }
    return result;
  }
}
