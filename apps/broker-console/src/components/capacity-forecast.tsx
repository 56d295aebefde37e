import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/endpoints';
import { shapeForecast } from '../lib/capacity';
import { ErrorBox } from './error-box';
import { FreshnessMark } from './freshness-mark';

/** Stock now against the booked classes ahead, with each window's shortfall. */
export function CapacityForecast() {
  const [prefix, setPrefix] = useState('');
  const [draft, setDraft] = useState('');
  const forecast = useQuery({
    queryKey: ['capacity', prefix],
    queryFn: () => api.capacity(prefix),
    placeholderData: keepPreviousData,
  });
  const view = forecast.data ? shapeForecast(forecast.data) : null;
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setPrefix(draft.trim());
  };

  return (
    <section className="classes-section" data-testid="capacity">
      <div className="section-head">
        <h2>Capacity forecast</h2>
        {forecast.data ? (
          <FreshnessMark generatedAt={null} receivedAtMs={forecast.dataUpdatedAt} />
        ) : null}
      </div>
      <form className="filters" onSubmit={apply}>
        <label>
          name prefix
          <input
            value={draft}
            placeholder="any"
            maxLength={128}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="capacity-prefix"
          />
        </label>
        <button type="submit" data-testid="apply-capacity">
          Show
        </button>
      </form>
      <ErrorBox error={forecast.error} what="Capacity forecast" />
      {view ? (
        <>
          <div className="cards">
            <Card
              label={`available now (${view.prefixLabel})`}
              value={view.available}
              id="available"
            />
            <Card label="earmarked now" value={view.reserved} id="reserved" />
            <Card label="seats still needed" value={view.held} id="held" />
            <Card
              label="to create"
              value={view.shortfall}
              id="shortfall"
              short={view.shortfall > 0}
            />
          </div>
          <p
            className={view.shortfall > 0 ? 'notice shortfall' : 'muted'}
            data-testid="capacity-headline"
          >
            {view.headline} <span className="muted">Horizon: until {view.until}.</span>
          </p>
          {view.rows.length > 0 ? (
            <table className="data" data-testid="capacity-table">
              <thead>
                <tr>
                  <th>window</th>
                  <th>track</th>
                  <th>prefix</th>
                  <th>still needs</th>
                  <th>cumulative</th>
                  <th>forecast</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row) => (
                  <tr
                    key={row.reservationId}
                    className={row.short ? 'short' : ''}
                    data-reservation-id={row.reservationId}
                    data-shortfall={row.shortfall}
                  >
                    <td>{row.window}</td>
                    <td>{row.track}</td>
                    <td>{row.prefix}</td>
                    <td>{row.outstanding}</td>
                    <td>{row.cumulative}</td>
                    <td data-testid="forecast-text">{row.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function Card({
  label,
  value,
  id,
  short = false,
}: {
  readonly label: string;
  readonly value: number;
  readonly id: string;
  readonly short?: boolean;
}) {
  return (
    <div className={short ? 'card short' : 'card'}>
      <div className="label">{label}</div>
      <div className="value" data-testid={`capacity-${id}`}>
        {value}
      </div>
    </div>
  );
}
