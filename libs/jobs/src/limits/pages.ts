import type { Sandbox, SandboxRepository, SandboxStatus } from '@broker/domain';

/**
 * Every row in a status, page by page (index queries, never a scan). Stops early once `limit`
 * rows were yielded or `signal` aborted.
 */
export async function* sandboxesIn(
  pool: Pick<SandboxRepository, 'list'>,
  status: SandboxStatus,
  options: { pageSize: number; limit?: number; signal?: AbortSignal },
): AsyncGenerator<Sandbox> {
  let cursor: string | undefined;
  let yielded = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  do {
    if (options.signal?.aborted) return;
    const page = await pool.list({ status, limit: options.pageSize, cursor });
    for (const sandbox of page.items) {
      if (yielded >= limit) return;
      yielded += 1;
      yield sandbox;
    }
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}
