import {
  exportCsvPath,
  filterParams,
  filtersFromSearch,
  NO_FILTERS,
  sandboxListPath,
} from './filters';

describe('sandbox table filters', () => {
  it('sends only the filters that are set, trimmed, in a fixed order', () => {
    const params = filterParams({
      ...NO_FILTERS,
      owner: ' student-1 ',
      status: 'allocated',
      q: '',
    });
    expect(params.toString()).toBe('status=allocated&owner=student-1');
  });

  it('adds limit and cursor to the listing path only', () => {
    const filters = { ...NO_FILTERS, name_prefix: 'lab-demo-' };
    expect(sandboxListPath(filters, 50, null)).toBe(
      '/v1/admin/sandboxes?name_prefix=lab-demo-&limit=50',
    );
    expect(sandboxListPath(filters, 50, 'abc+/=')).toBe(
      '/v1/admin/sandboxes?name_prefix=lab-demo-&limit=50&cursor=abc%2B%2F%3D',
    );
    expect(exportCsvPath(filters)).toBe('/v1/admin/sandboxes/export.csv?name_prefix=lab-demo-');
  });

  it('exports everything when no filter is set', () => {
    expect(exportCsvPath(NO_FILTERS)).toBe('/v1/admin/sandboxes/export.csv');
  });

  it('encodes characters that would break the query string', () => {
    expect(exportCsvPath({ ...NO_FILTERS, q: 'a&b=c #d' })).toBe(
      '/v1/admin/sandboxes/export.csv?q=a%26b%3Dc+%23d',
    );
  });

  it('reads filters back from a location, dropping unknown statuses', () => {
    expect(filtersFromSearch('?status=allocated&track=dns&owner=s1&q=x&name_prefix=lab-')).toEqual({
      status: 'allocated',
      track: 'dns',
      owner: 's1',
      q: 'x',
      name_prefix: 'lab-',
    });
    expect(filtersFromSearch('?status=bogus').status).toBe('');
    expect(filtersFromSearch('')).toEqual(NO_FILTERS);
  });

  it('round-trips through the query string', () => {
    const filters = {
      status: 'stale' as const,
      name_prefix: 'p-',
      track: 't',
      owner: 'o',
      q: '42',
    };
    expect(filtersFromSearch(`?${filterParams(filters).toString()}`)).toEqual(filters);
  });
});
