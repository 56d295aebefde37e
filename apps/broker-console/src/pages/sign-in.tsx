import { type FormEvent, useState } from 'react';
import { errorMessage } from '../lib/problem-message';
import { useSession } from '../session/session';

/**
 * Paste an admin or viewer token once; the API answers with the session cookie. The token lives
 * only in this input until the request is sent: the field has no `name` (a form submitted without
 * JavaScript carries nothing), autocomplete is off, and it is cleared afterwards.
 */
export function SignInPage({ notice }: { readonly notice?: string | undefined }) {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setError('Paste an admin or viewer token.');
      return;
    }
    setBusy(true);
    setError(null);
    signIn(token.trim()).then(
      () => undefined,
      (e: unknown) => {
        setToken('');
        setBusy(false);
        setError(`Sign-in failed: ${errorMessage(e)}`);
      },
    );
  };

  return (
    <main className="sign-in">
      <h1>Sandbox Broker console</h1>
      <form method="post" onSubmit={submit} autoComplete="off" data-testid="sign-in-form">
        <label htmlFor="token">Admin or viewer token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          disabled={busy}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {notice && !error ? <p className="notice">{notice}</p> : null}
      {error ? (
        <p className="error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      ) : null}
      <p className="muted">
        The token is exchanged for a session cookie (HttpOnly, SameSite=Strict) and is not stored by
        this page.
      </p>
    </main>
  );
}
