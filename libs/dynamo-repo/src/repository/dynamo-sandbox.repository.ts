import type {
  AllocationClaim,
  AllocationRequest,
  AllocationResult,
  ClaimRepairOutcome,
  Clock,
  ExtensionPolicy,
  LeasePolicy,
  ListSandboxesQuery,
  Page,
  ProviderSandbox,
  ProviderUpsertOutcome,
  ReleaseResult,
  Sandbox,
  SandboxRepository,
  SandboxStatus,
  TrackQuotaCounter,
} from '@broker/domain';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ClaimWrites } from '../allocation/claim-writes';
import type { CandidatePoolOptions } from '../allocation/candidate-pool';
import { DynamoAllocation } from '../allocation/dynamo-allocation';
import { DynamoSandboxExtension } from '../extension/dynamo-sandbox-extension';
import { DynamoClaimRepair } from '../claims/dynamo-claim-repair';
import { lowLevelClientOf } from '../client/document-client';
import { DynamoSandboxReads, type SandboxTable } from '../pool/dynamo-sandbox-reads';
import { DynamoSandboxRelease } from '../release/dynamo-sandbox-release';
import type { EarmarkedDraw } from '../reservations/earmarked-draw';
import { DynamoProviderSync } from '../sync/dynamo-provider-sync';
import { TransitionWriter } from '../transitions/transition-writer';

export interface DynamoSandboxRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly lease: LeasePolicy;
  readonly candidatePool?: Partial<CandidatePoolOptions>;
  /** A candidate was lost to a concurrent allocation (`broker_allocate_conflicts_total`). */
  readonly onContention?: () => void;
  /** Per-track quotas the allocation keeps (none: no quota is enforced). */
  readonly quota?: TrackQuotaCounter;
  /** The store's one writer (a new one over `client` when absent). */
  readonly writer?: TransitionWriter;
  /** Class allocations draw from their reservation's earmarked set first. */
  readonly earmarked?: EarmarkedDraw;
}

/**
 * Sandbox rows and claims in one DynamoDB table (see README.md), composed of its parts: the
 * claim protocol, pool reads, release, provider sync and claim repair. Every status change goes
 * through one TransitionWriter; all reads on request paths are GetItem or index Queries.
 */
export class DynamoSandboxRepository implements SandboxRepository {
  private readonly reads: DynamoSandboxReads;
  private readonly allocation: DynamoAllocation;
  private readonly releases: DynamoSandboxRelease;
  private readonly extensions: DynamoSandboxExtension;
  private readonly sync: DynamoProviderSync;
  private readonly claims: DynamoClaimRepair;

  constructor(options: DynamoSandboxRepositoryOptions) {
    const { client, tableName, clock, lease } = options;
    const table: SandboxTable = { client, fast: lowLevelClientOf(client), tableName };
    const writer = options.writer ?? new TransitionWriter(table.fast, tableName, clock);
    this.reads = new DynamoSandboxReads(table);
    const claims = new ClaimWrites({ ...table, clock, lease });
    this.allocation = new DynamoAllocation({
      table,
      writer,
      claims,
      reads: this.reads,
      clock,
      lease,
      ...(options.candidatePool ? { candidatePool: options.candidatePool } : {}),
      ...(options.onContention ? { onContention: options.onContention } : {}),
      ...(options.quota ? { quota: options.quota } : {}),
      ...(options.earmarked ? { earmarked: options.earmarked } : {}),
    });
    this.releases = new DynamoSandboxRelease(writer, this.reads);
    this.extensions = new DynamoSandboxExtension(table, this.reads, clock);
    this.sync = new DynamoProviderSync(client, tableName, writer, clock);
    this.claims = new DynamoClaimRepair(table, claims, this.reads, writer, clock);
  }

  allocate(request: AllocationRequest): Promise<AllocationResult> {
    return this.allocation.allocate(request);
  }

  get(sandboxId: string): Promise<Sandbox | null> {
    return this.reads.get(sandboxId);
  }

  list(query: ListSandboxesQuery): Promise<Page<Sandbox>> {
    return this.reads.list(query);
  }

  findByExternalId(externalId: string): Promise<Sandbox | null> {
    return this.reads.findByExternalId(externalId);
  }

  countByStatus(): Promise<Record<SandboxStatus, number>> {
    return this.reads.countByStatus();
  }

  release(sandboxId: string, studentId: string): Promise<ReleaseResult> {
    return this.releases.release(sandboxId, studentId);
  }

  extend(sandboxId: string, studentId: string, policy: ExtensionPolicy): Promise<Sandbox> {
    return this.extensions.extend(sandboxId, studentId, policy);
  }

  upsertFromProvider(sandbox: ProviderSandbox): Promise<ProviderUpsertOutcome> {
    return this.sync.upsertFromProvider(sandbox);
  }

  listOpenClaims(olderThanMs: number, limit: number): Promise<AllocationClaim[]> {
    return this.claims.listOpenClaims(olderThanMs, limit);
  }

  repairClaim(claim: AllocationClaim): Promise<ClaimRepairOutcome> {
    return this.claims.repairClaim(claim);
  }

  ping(): Promise<void> {
    return this.reads.ping();
  }
}
