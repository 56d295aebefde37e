import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { AdminSandbox, Role } from '../api/types';
import { ErrorBox } from '../components/error-box';
import { FreshnessMark } from '../components/freshness-mark';
import { RepairButtons } from '../components/repair-buttons';
import { formatTime } from '../lib/format';
import { routePath } from '../lib/routes';
import { Link } from '../router';

const FIELDS: readonly (readonly [keyof AdminSandbox, string, 'time'?])[] = [
  ['sandbox_id', 'id'],
  ['name', 'name'],
  ['status', 'status'],
  ['external_id', 'provider account'],
  ['sfdc_account_id', 'Salesforce account'],
  ['owner_id', 'owner'],
  ['track_name', 'track'],
  ['allocated_at', 'allocated', 'time'],
  ['expires_at', 'expires', 'time'],
  ['deletion_requested_at', 'deletion requested', 'time'],
  ['deletion_attempts', 'deletion attempts'],
  ['next_attempt_at', 'next attempt', 'time'],
  ['last_error', 'last error'],
  ['quarantine_reason', 'quarantine reason'],
  ['stale_since', 'stale since', 'time'],
  ['deleted_at', 'deleted', 'time'],
  ['created_at', 'created', 'time'],
  ['updated_at', 'updated', 'time'],
  ['version', 'version'],
];

/** One sandbox: its fields, the repairs its status allows (admins), its whole event history. */
export function SandboxPage({ id, role }: { readonly id: string; readonly role: Role }) {
  const sandbox = useQuery({ queryKey: ['sandbox', id], queryFn: () => api.sandbox(id) });
  const events = useInfiniteQuery({
    queryKey: ['events', id],
    queryFn: ({ pageParam }) => api.events(id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.cursor ?? undefined,
  });
  const s = sandbox.data;

  return (
    <>
      <p>
        <Link to={routePath({ page: 'sandboxes' })}>← Sandboxes</Link>
      </p>
      <section className="section-head">
        <h1>{s ? `${s.name}` : `Sandbox ${id}`}</h1>
        {s ? <FreshnessMark generatedAt={null} receivedAtMs={sandbox.dataUpdatedAt} /> : null}
      </section>
      <ErrorBox error={sandbox.error} what="Sandbox" />
      {s ? (
        <>
          <dl className="fields" data-testid="sandbox-fields">
            {FIELDS.map(([key, label, kind]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd data-field={key}>
                  {kind === 'time' ? formatTime(s[key] as number | null) : String(s[key] ?? '—')}
                </dd>
              </div>
            ))}
          </dl>
          <RepairButtons sandbox={s} role={role} />
        </>
      ) : null}
      <h2>Event history</h2>
      <ErrorBox error={events.error} what="Events" />
      <table className="data" data-testid="event-table">
        <thead>
          <tr>
            <th>at</th>
            <th>action</th>
            <th>from → to</th>
            <th>actor</th>
            <th>request</th>
            <th>details</th>
          </tr>
        </thead>
        <tbody>
          {events.data?.pages
            .flatMap((p) => p.events)
            .map((e) => (
              <tr key={e.event_id} data-action={e.action}>
                <td>{formatTime(e.at)}</td>
                <td>{e.action}</td>
                <td>{e.from || e.to ? `${e.from ?? '∅'} → ${e.to ?? '∅'}` : ''}</td>
                <td>
                  {e.actor.kind}:{e.actor.id}
                  {e.actor.via ? ` via ${e.actor.via}` : ''}
                </td>
                <td className="mono">{e.request_id ?? ''}</td>
                <td className="mono">{e.details ? JSON.stringify(e.details) : ''}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {events.data && events.data.pages[0]?.events.length === 0 ? (
        <p className="muted">No events.</p>
      ) : null}
      {events.hasNextPage ? (
        <button
          type="button"
          onClick={() => void events.fetchNextPage()}
          disabled={events.isFetchingNextPage}
        >
          Load older events
        </button>
      ) : null}
    </>
  );
}
