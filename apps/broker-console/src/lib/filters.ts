import { SANDBOX_STATUSES, type SandboxStatus } from '../api/types';

/** The sandbox table's server-side filters (empty strings mean "any"). */
export interface SandboxFilters {
  readonly status: SandboxStatus | '';
  readonly name_prefix: string;
  readonly track: string;
  readonly owner: string;
  /** Sandbox id, provider account id (exact) or a name prefix. */
  readonly q: string;
}

export const NO_FILTERS: SandboxFilters = {
  status: '',
  name_prefix: '',
  track: '',
  owner: '',
  q: '',
};

const FILTER_KEYS = ['status', 'name_prefix', 'track', 'owner', 'q'] as const;

/**
 * Query parameters for the listing and the CSV export: only set filters, trimmed, in a fixed
 * order (stable query keys and links). Paging parameters are added only when given.
 */
export function filterParams(
  filters: SandboxFilters,
  paging: { readonly limit?: number; readonly cursor?: string | null } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (paging.limit !== undefined) params.set('limit', String(paging.limit));
  if (paging.cursor) params.set('cursor', paging.cursor);
  return params;
}

/** `GET /v1/admin/sandboxes?…` for one page. */
export function sandboxListPath(
  filters: SandboxFilters,
  limit: number,
  cursor: string | null,
): string {
  const query = filterParams(filters, { limit, cursor }).toString();
  return `/v1/admin/sandboxes?${query}`;
}

/** The CSV export of the whole filtered set (no limit, no cursor: the API streams every row). */
export function exportCsvPath(filters: SandboxFilters): string {
  const query = filterParams(filters).toString();
  return query ? `/v1/admin/sandboxes/export.csv?${query}` : '/v1/admin/sandboxes/export.csv';
}

/** Filters from a location's query string (the table's filters survive a reload and a link). */
export function filtersFromSearch(search: string): SandboxFilters {
  const params = new URLSearchParams(search);
  const status = params.get('status') ?? '';
  const text = (key: string) => (params.get(key) ?? '').trim().slice(0, 256);
  return {
    status: (SANDBOX_STATUSES as readonly string[]).includes(status)
      ? (status as SandboxStatus)
      : '',
    name_prefix: text('name_prefix'),
    track: text('track'),
    owner: text('owner'),
    q: text('q'),
  };
}
