/** The console's client-side routes (all under the Vite base /console/). */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'sandboxes' }
  | { readonly page: 'sandbox'; readonly id: string }
  | { readonly page: 'jobs' }
  | { readonly page: 'classes' }
  | { readonly page: 'not-found' };

export const BASE = '/console';

/** The route for a location path; unknown paths give not-found (the API serves index.html). */
export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean);
  if (parts.length === 0) return { page: 'overview' };
  if (parts[0] === 'sandboxes' && parts.length === 1) return { page: 'sandboxes' };
  if (parts[0] === 'sandboxes' && parts.length === 2 && parts[1]) {
    return { page: 'sandbox', id: safeDecode(parts[1]) };
  }
  if (parts[0] === 'jobs' && parts.length === 1) return { page: 'jobs' };
  if (parts[0] === 'classes' && parts.length === 1) return { page: 'classes' };
  return { page: 'not-found' };
}

/** The path of a route (links and history entries). */
export function routePath(route: Route): string {
  switch (route.page) {
    case 'overview':
    case 'not-found':
      return `${BASE}/`;
    case 'sandboxes':
      return `${BASE}/sandboxes`;
    case 'sandbox':
      return `${BASE}/sandboxes/${encodeURIComponent(route.id)}`;
    case 'jobs':
      return `${BASE}/jobs`;
    case 'classes':
      return `${BASE}/classes`;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
