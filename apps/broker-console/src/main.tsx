import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/api-error';
import { App } from './app';
import { notifySessionLost } from './session/session-events';
import './styles.css';

/** Auto-refresh period: every query re-reads this often while the tab is visible. */
export const REFRESH_MS = 5000;

// A 401 anywhere means the session ended (expired, revoked, signed out elsewhere): back to sign-in.
const onError = (error: unknown) => {
  if (error instanceof ApiError && error.status === 401) notifySessionLost();
};

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      refetchInterval: REFRESH_MS,
      // Paused while the tab is hidden; a visible tab catches up on focus.
      refetchIntervalInBackground: false,
      refetchOnWindowFocus: true,
      staleTime: 1000,
      // 4xx answers do not get better by asking again; others twice at most.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
