import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/endpoints';
import { SANDBOX_STATUSES, type SandboxStatus } from '../api/types';
import { ErrorBox } from '../components/error-box';
import { FreshnessMark } from '../components/freshness-mark';
import {
  exportCsvPath,
  filterParams,
  filtersFromSearch,
  type SandboxFilters,
} from '../lib/filters';
import { formatTime } from '../lib/format';
import { routePath } from '../lib/routes';
import { Link, useRouter } from '../router';
import { Pager } from '../components/pager';

export const PAGE_SIZE = 50;

/** The sandbox table: server-side filters in the URL, cursor paging, CSV export of the filtered set. */
export function SandboxesPage() {
  const { location, navigate } = useRouter();
  const filters = filtersFromSearch(location.search);
  // Cursors of the pages before the current one (Back pops one), reset when the filters change.
  const [paging, setPaging] = useState<{ search: string; cursors: (string | null)[] }>({
    search: location.search,
    cursors: [null],
  });
  const cursors = paging.search === location.search ? paging.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;

  const page = useQuery({
    queryKey: ['sandboxes', filters, cursor],
    queryFn: () => api.sandboxes(filters, PAGE_SIZE, cursor),
    placeholderData: keepPreviousData,
  });

  const apply = (next: SandboxFilters) => {
    const query = filterParams(next).toString();
    navigate(`${routePath({ page: 'sandboxes' })}${query ? `?${query}` : ''}`);
  };

  return (
    <>
      <section className="section-head">
        <h1>Sandboxes</h1>
        {page.data ? <FreshnessMark generatedAt={null} receivedAtMs={page.dataUpdatedAt} /> : null}
      </section>
      <FilterForm key={location.search} initial={filters} onApply={apply} />
      <p>
        <a href={exportCsvPath(filters)} download data-testid="export-csv">
          Export the filtered set as CSV
        </a>{' '}
        <span className="muted">(every matching row, not only this page)</span>
      </p>
      <ErrorBox error={page.error} what="Sandbox list" />
      <table className="data sandboxes" data-testid="sandbox-table">
        <thead>
          <tr>
            <th>id</th>
            <th>name</th>
            <th>status</th>
            <th>owner</th>
            <th>track</th>
            <th>allocated</th>
            <th>expires</th>
            <th>updated</th>
          </tr>
        </thead>
        <tbody>
          {page.data?.sandboxes.map((s) => (
            <tr key={s.sandbox_id} data-sandbox-id={s.sandbox_id}>
              <td>
                <Link to={routePath({ page: 'sandbox', id: s.sandbox_id })}>{s.sandbox_id}</Link>
              </td>
              <td>{s.name}</td>
              <td className={`status status-${s.status}`} data-testid="row-status">
                {s.status}
              </td>
              <td>{s.owner_id ?? ''}</td>
              <td>{s.track_name ?? ''}</td>
              <td>{formatTime(s.allocated_at, '')}</td>
              <td>{formatTime(s.expires_at, '')}</td>
              <td>{formatTime(s.updated_at, '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data && page.data.sandboxes.length === 0 ? (
        <p className="muted">No sandbox matches.</p>
      ) : null}
      <Pager
        cursors={cursors}
        next={page.data?.cursor}
        busy={page.isPlaceholderData}
        onChange={(next) => setPaging({ search: location.search, cursors: next })}
        nextTestId="next-page"
      />
    </>
  );
}

function FilterForm({
  initial,
  onApply,
}: {
  readonly initial: SandboxFilters;
  readonly onApply: (f: SandboxFilters) => void;
}) {
  const [draft, setDraft] = useState<SandboxFilters>(initial);
  const text = (
    key: 'name_prefix' | 'track' | 'owner' | 'q',
    label: string,
    placeholder: string,
  ) => (
    <label>
      {label}
      <input
        value={draft[key]}
        placeholder={placeholder}
        maxLength={256}
        data-testid={`filter-${key}`}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    </label>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filters" onSubmit={submit} data-testid="filters">
      <label>
        status
        <select
          value={draft.status}
          data-testid="filter-status"
          onChange={(e) => setDraft({ ...draft, status: e.target.value as SandboxStatus | '' })}
        >
          <option value="">any</option>
          {SANDBOX_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {text('name_prefix', 'name prefix', 'lab-demo-')}
      {text('track', 'track', 'track slug')}
      {text('owner', 'owner', 'student id')}
      {text('q', 'search', 'id, account id or name')}
      <button type="submit" data-testid="apply-filters">
        Apply
      </button>
      <button
        type="button"
        onClick={() => onApply({ status: '', name_prefix: '', track: '', owner: '', q: '' })}
      >
        Clear
      </button>
    </form>
  );
}
