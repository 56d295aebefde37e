import { Inject, Injectable } from '@nestjs/common';
import {
  type AdminListQuery,
  externalAccountKey,
  type Page,
  type Sandbox,
  SANDBOX_ADMIN_REPOSITORY,
  SANDBOX_READ_REPOSITORY,
  type SandboxAdminRepository,
  type SandboxReadRepository,
} from '@broker/domain';

/** The listing's filters plus `q` (sandbox id, provider account id, else a name prefix). */
export interface SandboxSearchQuery extends AdminListQuery {
  readonly q?: string | undefined;
}

/**
 * The operator listing with search: `q` is first looked up as a sandbox id (GetItem) and as a
 * provider account id (ExternalIndex), an exact hit being the only result when it also passes
 * the other filters; otherwise `q` is a name prefix (the StatusIndex key range). Index reads only.
 */
@Injectable()
export class SandboxSearchService {
  constructor(
    @Inject(SANDBOX_ADMIN_REPOSITORY) private readonly admin: SandboxAdminRepository,
    @Inject(SANDBOX_READ_REPOSITORY) private readonly reads: SandboxReadRepository,
  ) {}

  async page(query: SandboxSearchQuery): Promise<Page<Sandbox>> {
    const { q, ...filters } = query;
    if (q === undefined || q === '') return this.admin.list(filters);
    // A cursor belongs to the name-prefix listing (exact hits are one page without a cursor).
    if (filters.cursor === undefined) {
      const exact = await this.exactHit(q);
      if (exact !== null) {
        return { items: matchesFilters(exact, filters) ? [exact] : [], cursor: null };
      }
    }
    const prefix = narrowerPrefix(filters.namePrefix, q);
    if (prefix === null) return { items: [], cursor: null };
    return this.admin.list({ ...filters, namePrefix: prefix });
  }

  private async exactHit(q: string): Promise<Sandbox | null> {
    const byId = await this.reads.get(q);
    if (byId !== null) return byId;
    return externalAccountKey(q) === null ? null : this.reads.findByExternalId(q);
  }
}

function matchesFilters(s: Sandbox, f: AdminListQuery): boolean {
  return (
    (f.status === undefined || s.status === f.status) &&
    (f.namePrefix === undefined || s.name.startsWith(f.namePrefix)) &&
    (f.track === undefined || s.trackName === f.track) &&
    (f.owner === undefined || s.ownerId === f.owner)
  );
}

/** The prefix both `name_prefix` and `q` allow, or null when they exclude each other. */
function narrowerPrefix(namePrefix: string | undefined, q: string): string | null {
  if (namePrefix === undefined || q.startsWith(namePrefix)) return q;
  return namePrefix.startsWith(q) ? namePrefix : null;
}
