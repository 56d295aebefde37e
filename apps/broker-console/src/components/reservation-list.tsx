import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, Fragment, useState } from 'react';
import { api } from '../api/endpoints';
import {
  RESERVATION_STATUSES,
  type Reservation,
  type ReservationStatus,
  type Role,
} from '../api/types';
import { formatTime } from '../lib/format';
import { type ReservationFilters, windowText } from '../lib/reservations';
import { ErrorBox } from './error-box';
import { FreshnessMark } from './freshness-mark';
import { ReservationActions } from './reservation-actions';
import { Pager } from './pager';

export const RESERVATION_PAGE_SIZE = 25;
const NO_FILTERS: ReservationFilters = { track: '', status: '' };

/** Booked classes, newest start first: filters, cursor paging, one row expandable to its detail. */
export function ReservationList({ role }: { readonly role: Role }) {
  const [filters, setFilters] = useState<ReservationFilters>(NO_FILTERS);
  const [draft, setDraft] = useState<ReservationFilters>(NO_FILTERS);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useQuery({
    queryKey: ['reservations', filters, cursor],
    queryFn: () => api.reservations(filters, RESERVATION_PAGE_SIZE, cursor),
    placeholderData: keepPreviousData,
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setCursors([null]);
  };

  return (
    <section className="classes-section" data-testid="reservations">
      <div className="section-head">
        <h2>Reservations</h2>
        {page.data ? <FreshnessMark generatedAt={null} receivedAtMs={page.dataUpdatedAt} /> : null}
      </div>
      <form className="filters" onSubmit={apply}>
        <label>
          track
          <input
            value={draft.track}
            maxLength={256}
            onChange={(e) => setDraft({ ...draft, track: e.target.value })}
            data-testid="reservation-filter-track"
          />
        </label>
        <label>
          status
          <select
            value={draft.status}
            onChange={(e) =>
              setDraft({ ...draft, status: e.target.value as ReservationStatus | '' })
            }
            data-testid="reservation-filter-status"
          >
            <option value="">any</option>
            {RESERVATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="apply-reservation-filters">
          Apply
        </button>
      </form>
      <ErrorBox error={page.error} what="Reservation list" />
      <table className="data" data-testid="reservation-table">
        <thead>
          <tr>
            <th>track</th>
            <th>sandboxes</th>
            <th>window</th>
            <th>status</th>
            <th>held</th>
            <th>allocated</th>
            <th>remaining</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page.data?.reservations.map((r) => (
            <Fragment key={r.reservation_id}>
              <tr data-reservation-id={r.reservation_id} className={`reservation-${r.status}`}>
                <td>{r.track}</td>
                <td data-field="count">{r.count}</td>
                <td>{windowText(r.starts_at, r.ends_at)}</td>
                <td data-field="status">{r.status}</td>
                <td data-field="held">{r.held}</td>
                <td data-field="allocated">{r.allocated}</td>
                <td data-field="remaining">{r.remaining}</td>
                <td>
                  <button
                    type="button"
                    aria-expanded={open === r.reservation_id}
                    onClick={() => setOpen(open === r.reservation_id ? null : r.reservation_id)}
                    data-testid="reservation-toggle"
                  >
                    {open === r.reservation_id ? 'Hide' : 'Details'}
                  </button>
                </td>
              </tr>
              {open === r.reservation_id ? (
                <tr className="reservation-detail" data-testid="reservation-detail">
                  <td colSpan={8}>
                    <ReservationDetail reservation={r} role={role} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      {page.data && page.data.reservations.length === 0 ? (
        <p className="muted">No reservation matches.</p>
      ) : null}
      <Pager
        cursors={cursors}
        next={page.data?.cursor}
        busy={page.isPlaceholderData}
        onChange={setCursors}
      />
    </section>
  );
}

function ReservationDetail({
  reservation: r,
  role,
}: {
  readonly reservation: Reservation;
  readonly role: Role;
}) {
  const fields: [string, string][] = [
    ['id', r.reservation_id],
    ['name prefix', r.name_prefix || 'any'],
    ['earmarking from', formatTime(r.earmark_at)],
    ['starts', formatTime(r.starts_at)],
    [
      'unclaimed seats released',
      `${formatTime(r.release_at)} (${r.release_unclaimed_after_minutes} min after the start)`,
    ],
    ['ends', formatTime(r.ends_at)],
    ['booked by', `${r.created_by} at ${formatTime(r.created_at)}`],
    ['updated', formatTime(r.updated_at)],
  ];
  return (
    <>
      <dl className="fields">
        {fields.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      <ReservationActions key={`${r.reservation_id}-${r.count}`} reservation={r} role={role} />
    </>
  );
}
