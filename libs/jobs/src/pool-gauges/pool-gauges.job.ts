import type { SandboxRepository, SandboxStatus } from '@broker/domain';
import type { Job } from '../runner/job';

export type PoolCounts = Record<SandboxStatus, number> & { total: number };

/** Exact counts per status (index reads, never a scan) for the `broker_pool_*` gauges. */
export class PoolGaugesJob implements Job<PoolCounts> {
  readonly name = 'pool-gauges' as const;

  constructor(private readonly deps: { readonly pool: Pick<SandboxRepository, 'countByStatus'> }) {}

  async run(): Promise<PoolCounts> {
    const counts = await this.deps.pool.countByStatus();
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { ...counts, total };
  }
}
