import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { api } from '../api/endpoints';
import type { Reservation, Role } from '../api/types';
import { visibleReservationActions } from '../lib/actions';
import { cancelConfirmText, capacityRefusal, MAX_COUNT, resizeRequest } from '../lib/reservations';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorBox } from './error-box';

/** Resize and cancel of a confirmed booking, for admins only (nothing for a viewer). */
export function ReservationActions({
  reservation,
  role,
}: {
  readonly reservation: Reservation;
  readonly role: Role;
}) {
  const actions = visibleReservationActions(role, reservation.status);
  const [count, setCount] = useState(String(reservation.count));
  const [countError, setCountError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['reservations'] });
    await queryClient.invalidateQueries({ queryKey: ['capacity'] });
  };
  const resize = useMutation({
    mutationFn: (n: number) => api.resize(reservation.reservation_id, n),
    onSuccess: refresh,
  });
  const cancel = useMutation({
    mutationFn: () => api.cancelReservation(reservation.reservation_id),
    onSuccess: async () => {
      setConfirming(false);
      await refresh();
    },
  });
  if (actions.length === 0) return null;

  const submitResize = () => {
    const result = resizeRequest(count);
    if (!result.ok) {
      setCountError(result.error);
      return;
    }
    setCountError(null);
    resize.mutate(result.count);
  };
  const refusal = resize.error instanceof ApiError ? capacityRefusal(resize.error.problem) : null;

  return (
    <div className="reservation-actions" data-testid="reservation-actions">
      {actions.includes('resize') ? (
        <label>
          sandboxes
          <input
            value={count}
            inputMode="numeric"
            size={6}
            max={MAX_COUNT}
            onChange={(e) => setCount(e.target.value)}
            data-testid="resize-count"
          />
          <button
            type="button"
            onClick={submitResize}
            disabled={resize.isPending}
            data-testid="resize-submit"
          >
            {resize.isPending ? 'Resizing…' : 'Resize'}
          </button>
        </label>
      ) : null}
      {countError ? <span className="field-error">{countError}</span> : null}
      {actions.includes('cancel') ? (
        <button
          type="button"
          className="danger"
          onClick={() => {
            cancel.reset();
            setConfirming(true);
          }}
          data-testid="cancel-reservation"
        >
          Cancel booking
        </button>
      ) : null}
      {refusal ? (
        <p className="error" role="alert">
          {refusal}
        </p>
      ) : null}
      <ErrorBox error={resize.error} what="Resize refused" />
      {confirming ? (
        <ConfirmDialog
          title="Cancel the booking"
          text={cancelConfirmText(reservation)}
          confirmLabel={`Cancel the class of track ${reservation.track}`}
          pending={cancel.isPending}
          error={cancel.error}
          onConfirm={() => cancel.mutate()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
