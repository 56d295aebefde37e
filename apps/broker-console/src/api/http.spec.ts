import { ApiError } from './api-error';
import { apiRequest, setCsrfToken } from './http';

describe('apiRequest (same-origin fetch with the session cookie)', () => {
  const realFetch = globalThis.fetch;
  let calls: { url: string; init: RequestInit }[];
  let answer: () => Response;

  beforeEach(() => {
    calls = [];
    answer = () => new Response('{"ok":true}', { status: 200 });
    globalThis.fetch = ((url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Promise.resolve(answer());
    }) as typeof fetch;
    setCsrfToken(null);
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  const headers = (i = 0) => calls[i]?.init.headers as Record<string, string>;

  it('sends the cookie (same-origin) and never an Authorization header', async () => {
    setCsrfToken('csrf-1');
    await expect(apiRequest('GET', '/v1/admin/stats')).resolves.toEqual({ ok: true });
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(headers()).not.toHaveProperty('Authorization');
    expect(headers()).not.toHaveProperty('X-CSRF-Token');
  });

  it('adds the CSRF token to every state-changing call', async () => {
    setCsrfToken('csrf-1');
    await apiRequest('POST', '/v1/admin/sandboxes/1/force-release');
    await apiRequest('DELETE', '/v1/admin/session');
    await apiRequest('POST', '/v1/admin/sandboxes/1/quarantine', { reason: 'r' });
    expect(calls.map((_c, i) => headers(i)['X-CSRF-Token'])).toEqual([
      'csrf-1',
      'csrf-1',
      'csrf-1',
    ]);
    expect(calls[2]?.init.body).toBe('{"reason":"r"}');
    expect(headers(2)['Content-Type']).toBe('application/json');
  });

  it('gives undefined for an empty answer (204)', async () => {
    answer = () => new Response(null, { status: 204 });
    await expect(apiRequest('DELETE', '/v1/admin/session')).resolves.toBeUndefined();
  });

  it('throws ApiError carrying the problem and a readable message', async () => {
    answer = () =>
      new Response(
        JSON.stringify({
          status: 401,
          title: 'Unauthorized',
          detail: 'Invalid token',
          code: 'UNAUTHORIZED',
        }),
        {
          status: 401,
          headers: { 'Content-Type': 'application/problem+json' },
        },
      );
    const error = await apiRequest('POST', '/v1/admin/session', { token: 'wrong' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
      message: 'Invalid token (UNAUTHORIZED)',
    });
    // The token sent is not part of the message.
    expect(String((error as Error).message)).not.toContain('wrong');
  });
});
