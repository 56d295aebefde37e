import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '../api/types';
import { parseRoute, routePath } from '../lib/routes';
import { ClassesPage } from '../pages/classes';
import { JobsPage } from '../pages/jobs';
import { OverviewPage } from '../pages/overview';
import { SandboxPage } from '../pages/sandbox';
import { SandboxesPage } from '../pages/sandboxes';
import { Link, useRouter } from '../router';
import { useSession } from '../session/session';

const NAV = [
  { page: 'overview', label: 'Overview' },
  { page: 'sandboxes', label: 'Sandboxes' },
  { page: 'jobs', label: 'Jobs' },
  { page: 'classes', label: 'Classes' },
] as const;

/** Header (navigation, refresh, role, sign-out) and the current page. */
export function Shell({ session }: { readonly session: SessionView }) {
  const { location } = useRouter();
  const { signOut } = useSession();
  const queryClient = useQueryClient();
  const fetching = useIsFetching();
  const route = parseRoute(location.pathname);
  const active = route.page === 'sandbox' ? 'sandboxes' : route.page;

  return (
    <>
      <header className="top">
        <strong className="brand">Sandbox Broker</strong>
        <nav>
          {NAV.map((item) => (
            <Link
              key={item.page}
              to={routePath({ page: item.page })}
              className={active === item.page ? 'active' : ''}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <span className="spacer" />
        <span className="muted" data-testid="refresh-state">
          {fetching > 0 ? 'refreshing…' : 'auto-refresh 5 s'}
        </span>
        <button
          type="button"
          onClick={() => void queryClient.invalidateQueries()}
          data-testid="refresh"
        >
          Refresh
        </button>
        <span className={`role role-${session.role}`} data-testid="role">
          {session.token_name} · {session.role}
        </span>
        <button type="button" onClick={() => void signOut()} data-testid="sign-out">
          Sign out
        </button>
      </header>
      <main className="page">
        {route.page === 'overview' ? <OverviewPage /> : null}
        {route.page === 'sandboxes' ? <SandboxesPage /> : null}
        {route.page === 'sandbox' ? <SandboxPage id={route.id} role={session.role} /> : null}
        {route.page === 'jobs' ? <JobsPage role={session.role} /> : null}
        {route.page === 'classes' ? <ClassesPage role={session.role} /> : null}
        {route.page === 'not-found' ? (
          <p>
            No such page. <Link to={routePath({ page: 'overview' })}>Overview</Link>
          </p>
        ) : null}
      </main>
    </>
  );
}
