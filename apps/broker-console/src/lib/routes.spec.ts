import { parseRoute, routePath } from './routes';

describe('console routes', () => {
  it('maps paths under /console to pages', () => {
    expect(parseRoute('/console')).toEqual({ page: 'overview' });
    expect(parseRoute('/console/')).toEqual({ page: 'overview' });
    expect(parseRoute('/console/sandboxes')).toEqual({ page: 'sandboxes' });
    expect(parseRoute('/console/sandboxes/2026042')).toEqual({ page: 'sandbox', id: '2026042' });
    expect(parseRoute('/console/jobs')).toEqual({ page: 'jobs' });
    expect(parseRoute('/console/classes')).toEqual({ page: 'classes' });
    expect(routePath({ page: 'classes' })).toBe('/console/classes');
    expect(parseRoute('/console/nope/1/2')).toEqual({ page: 'not-found' });
  });

  it('round-trips sandbox ids that need encoding, and survives bad encodings', () => {
    const path = routePath({ page: 'sandbox', id: 'a/b c' });
    expect(path).toBe('/console/sandboxes/a%2Fb%20c');
    expect(parseRoute(path)).toEqual({ page: 'sandbox', id: 'a/b c' });
    expect(parseRoute('/console/sandboxes/%E0%A4%A')).toEqual({ page: 'sandbox', id: '%E0%A4%A' });
  });
});
