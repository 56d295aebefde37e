import { RouterProvider } from './router';
import { Shell } from './components/shell';
import { SessionProvider, useSession } from './session/session';
import { SignInPage } from './pages/sign-in';

function Gate() {
  const { state } = useSession();
  if (state.kind === 'checking') return <p className="muted center">Checking the session…</p>;
  if (state.kind === 'signed-out') return <SignInPage notice={state.error} />;
  return <Shell session={state.session} />;
}

export function App() {
  return (
    <RouterProvider>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </RouterProvider>
  );
}
