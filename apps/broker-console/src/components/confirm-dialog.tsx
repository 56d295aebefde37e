import type { ReactNode } from 'react';
import { ErrorBox } from './error-box';

/** A modal confirmation naming what is about to change; the caller's call error shows inside. */
export function ConfirmDialog({
  title,
  text,
  confirmLabel,
  pending,
  error,
  disabled = false,
  onConfirm,
  onCancel,
  children,
}: {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  readonly pending: boolean;
  readonly error: unknown;
  readonly disabled?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly children?: ReactNode;
}) {
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="confirm-dialog"
      >
        <h3 id="confirm-title">{title}</h3>
        <p data-testid="confirm-text">{text}</p>
        {children}
        <ErrorBox error={error} what={`${title} failed`} />
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel} disabled={pending}>
            Back
          </button>
          <button
            type="button"
            className="danger"
            data-testid="confirm"
            disabled={pending || disabled}
            onClick={onConfirm}
          >
            {pending ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
