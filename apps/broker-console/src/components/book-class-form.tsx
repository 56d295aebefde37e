import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type InputHTMLAttributes, useState } from 'react';
import { ApiError } from '../api/api-error';
import { api } from '../api/endpoints';
import type { NewReservationBody, Reservation } from '../api/types';
import {
  type BookingDraft,
  bookingRequest,
  capacityRefusal,
  EMPTY_BOOKING,
  epochToLocalInput,
  localInputToEpoch,
  MAX_COUNT,
  MAX_RELEASE_MINUTES,
  windowText,
} from '../lib/reservations';
import { ErrorBox } from './error-box';

/** A fresh draft: the next full hour for two hours. */
function initialDraft(): BookingDraft {
  const next = Math.ceil(Date.now() / 3_600_000) * 3600;
  return {
    ...EMPTY_BOOKING,
    starts_at: epochToLocalInput(next),
    ends_at: epochToLocalInput(next + 2 * 3600),
  };
}

/** "Book a class" (admins only; the page does not render it for a viewer). */
export function BookClassForm() {
  const [draft, setDraft] = useState<BookingDraft>(initialDraft);
  const [errors, setErrors] = useState<Partial<Record<keyof BookingDraft, string>>>({});
  const [booked, setBooked] = useState<Reservation | null>(null);
  const queryClient = useQueryClient();
  const book = useMutation({
    mutationFn: (body: NewReservationBody) => api.book(body),
    onSuccess: async (reservation) => {
      setBooked(reservation);
      setDraft(initialDraft());
      await queryClient.invalidateQueries({ queryKey: ['reservations'] });
      await queryClient.invalidateQueries({ queryKey: ['capacity'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBooked(null);
    const result = bookingRequest(draft, Math.floor(Date.now() / 1000));
    if (!result.ok) {
      // A refusal from an earlier attempt no longer describes what is in the form.
      book.reset();
      setErrors(result.errors);
      return;
    }
    setErrors({});
    book.mutate(result.body);
  };
  const field = (
    key: keyof BookingDraft,
    label: string,
    input: InputHTMLAttributes<HTMLInputElement>,
  ) => (
    <label>
      {label}
      <input
        {...input}
        value={draft[key]}
        aria-invalid={errors[key] ? true : undefined}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-testid={`book-${key}`}
      />
      {errors[key] ? (
        <span className="field-error" data-testid={`book-${key}-error`}>
          {errors[key]}
        </span>
      ) : null}
    </label>
  );
  const refusal = book.error instanceof ApiError ? capacityRefusal(book.error.problem) : null;
  const start = localInputToEpoch(draft.starts_at);
  const end = localInputToEpoch(draft.ends_at);

  return (
    <section className="classes-section" data-testid="book-class">
      <h2>Book a class</h2>
      <form className="filters book-form" onSubmit={submit} noValidate>
        {field('track', 'track', { maxLength: 256, placeholder: 'dns-basics' })}
        {field('count', 'sandboxes', { inputMode: 'numeric', placeholder: '30', size: 6 })}
        {field('starts_at', 'starts (local time)', { type: 'datetime-local' })}
        {field('ends_at', 'ends (local time)', { type: 'datetime-local' })}
        {field('name_prefix', 'name prefix (optional)', { maxLength: 128, placeholder: 'any' })}
        {field('release_unclaimed_after_minutes', 'release unclaimed after, min (optional)', {
          inputMode: 'numeric',
          placeholder: 'default',
          size: 6,
        })}
        <button type="submit" disabled={book.isPending} data-testid="book-submit">
          {book.isPending ? 'Booking…' : 'Book'}
        </button>
      </form>
      {start !== null && end !== null && end > start ? (
        <p className="muted" data-testid="book-window-utc">
          Window in UTC (as the lists show it): {windowText(start, end)}
        </p>
      ) : null}
      <p className="muted">
        Up to {MAX_COUNT} sandboxes; unclaimed seats go back to the pool the given minutes after the
        start (0 to {MAX_RELEASE_MINUTES}, default the broker&apos;s setting) and all at the end.
      </p>
      {refusal ? (
        <p className="error" role="alert" data-testid="book-refusal">
          {refusal}
        </p>
      ) : null}
      <div data-testid="book-error">
        <ErrorBox error={book.error} what="Booking refused" />
      </div>
      {booked ? (
        <p className="notice" role="status" data-testid="book-done">
          Booked {booked.count} sandboxes for track {booked.track},{' '}
          {windowText(booked.starts_at, booked.ends_at)} (id {booked.reservation_id}).
        </p>
      ) : null}
    </section>
  );
}
