import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError } from '../api/api-error';
import { api } from '../api/endpoints';
import { setCsrfToken } from '../api/http';
import { errorMessage } from '../lib/problem-message';
import type { SessionView } from '../api/types';
import { onSessionLost } from './session-events';

export type SessionState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed-out'; readonly error?: string }
  | { readonly kind: 'signed-in'; readonly session: SessionView };

interface SessionApi {
  readonly state: SessionState;
  /** Exchanges the pasted token for the session cookie; the token is not kept anywhere. */
  readonly signIn: (token: string) => Promise<void>;
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session (role, CSRF token in memory); restored from the cookie on reload. */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'checking' });
  const queryClient = useQueryClient();

  const signedIn = useCallback((session: SessionView) => {
    setCsrfToken(session.csrf_token);
    setState({ kind: 'signed-in', session });
  }, []);

  const signedOut = useCallback(
    (error?: string) => {
      setCsrfToken(null);
      queryClient.clear();
      setState(error ? { kind: 'signed-out', error } : { kind: 'signed-out' });
    },
    [queryClient],
  );

  useEffect(() => {
    let live = true;
    api.session().then(
      (session) => live && signedIn(session),
      (error: unknown) => {
        if (!live) return;
        const quiet = error instanceof ApiError && error.status === 401;
        signedOut(quiet ? undefined : `Could not check the session: ${errorMessage(error)}`);
      },
    );
    const off = onSessionLost(() => signedOut('The session has ended; sign in again.'));
    return () => {
      live = false;
      off();
    };
  }, [signedIn, signedOut]);

  const signIn = useCallback(
    async (token: string) => signedIn(await api.signIn(token)),
    [signedIn],
  );

  const signOut = useCallback(async () => {
    let error: string | undefined;
    try {
      await api.signOut();
    } catch (e) {
      error = `Signing out on the server failed: ${errorMessage(e)}`;
    }
    signedOut(error);
  }, [signedOut]);

  return (
    <SessionContext.Provider value={{ state, signIn, signOut }}>{children}</SessionContext.Provider>
  );
}
