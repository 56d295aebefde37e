import { errorMessage } from '../lib/problem-message';

/** A failed call's message (problem detail, code, request id); nothing when there is no error. */
export function ErrorBox({ error, what }: { readonly error: unknown; readonly what: string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {what}: {errorMessage(error)}
    </p>
  );
}
