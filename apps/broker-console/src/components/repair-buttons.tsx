import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/endpoints';
import type { AdminSandbox, Role } from '../api/types';
import {
  confirmText,
  REPAIR_LABELS,
  type RepairAction,
  validReason,
  visibleRepairs,
} from '../lib/actions';
import { ErrorBox } from './error-box';

/**
 * The repairs a sandbox's status allows, for admins only (a viewer gets no button at all; the
 * API refuses a viewer anyway). Each asks for confirmation naming the sandbox and its owner.
 */
export function RepairButtons({
  sandbox,
  role,
}: {
  readonly sandbox: AdminSandbox;
  readonly role: Role;
}) {
  const actions = visibleRepairs(role, sandbox.status);
  const [pending, setPending] = useState<RepairAction | null>(null);
  const [reason, setReason] = useState('');
  const queryClient = useQueryClient();
  const repair = useMutation({
    mutationFn: ({ action, why }: { action: RepairAction; why: string }) =>
      action === 'retry-deletion'
        ? api.retryDeletion(sandbox.sandbox_id)
        : action === 'quarantine'
          ? api.quarantine(sandbox.sandbox_id, why)
          : api.forceRelease(sandbox.sandbox_id),
    onSuccess: async (updated) => {
      setPending(null);
      setReason('');
      queryClient.setQueryData(['sandbox', sandbox.sandbox_id], updated);
      // The new event, the table row and the counts.
      await queryClient.invalidateQueries();
    },
  });

  if (actions.length === 0) return null;
  const confirm = () => {
    if (!pending) return;
    repair.mutate({ action: pending, why: reason.trim() });
  };

  return (
    <section className="repairs" data-testid="repairs">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'force-release' ? 'danger' : ''}
          data-testid={`repair-${action}`}
          onClick={() => {
            repair.reset();
            setPending(action);
          }}
        >
          {REPAIR_LABELS[action]}
        </button>
      ))}
      {pending ? (
        <div className="dialog-backdrop">
          <div
            className="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="confirm-title"
            data-testid="confirm-dialog"
          >
            <h3 id="confirm-title">{REPAIR_LABELS[pending]}</h3>
            <p data-testid="confirm-text">{confirmText(pending, sandbox)}</p>
            {pending === 'quarantine' ? (
              <label>
                Reason
                <input
                  value={reason}
                  maxLength={500}
                  onChange={(e) => setReason(e.target.value)}
                  data-testid="quarantine-reason"
                />
              </label>
            ) : null}
            <ErrorBox error={repair.error} what={`${REPAIR_LABELS[pending]} failed`} />
            <div className="dialog-buttons">
              <button type="button" onClick={() => setPending(null)} disabled={repair.isPending}>
                Cancel
              </button>
              <button
                type="button"
                className="danger"
                data-testid="confirm"
                disabled={repair.isPending || (pending === 'quarantine' && !validReason(reason))}
                onClick={confirm}
              >
                {repair.isPending ? 'Working…' : `${REPAIR_LABELS[pending]} ${sandbox.name}`}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}
