import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import request from 'supertest';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';

/**
 * Table-driven: a corpus of malformed requests against every endpoint. Each must be refused with
 * a 4xx problem+json carrying a code, the request id and the security headers, and the table must
 * be exactly the same afterwards. Adding an endpoint is one entry in ENDPOINTS.
 */

const METRICS_TOKEN = 'e2e-metrics-token-0001';

type Auth = 'track' | 'admin' | 'metrics' | 'public';

interface Endpoint {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** A well-formed path (ids need not exist). */
  readonly path: string;
  readonly auth: Auth;
  /** Reads the student id header. */
  readonly student?: boolean;
  /** Reads the optional allocation headers (prefix, idempotency key, track slug). */
  readonly allocationHeaders?: boolean;
  /** Builds the path around another id, for path-id validation. */
  readonly withId?: (id: string) => string;
  /** Takes `limit` and `cursor` query parameters. */
  readonly paged?: boolean;
}

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'allocate',
    method: 'POST',
    path: '/v1/allocate',
    auth: 'track',
    student: true,
    allocationHeaders: true,
  },
  {
    name: 'get sandbox',
    method: 'GET',
    path: '/v1/sandboxes/4711',
    auth: 'track',
    student: true,
    withId: (id) => `/v1/sandboxes/${id}`,
  },
  {
    name: 'mark for deletion',
    method: 'POST',
    path: '/v1/sandboxes/4711/mark-for-deletion',
    auth: 'track',
    student: true,
    withId: (id) => `/v1/sandboxes/${id}/mark-for-deletion`,
  },
  { name: 'admin sync', method: 'POST', path: '/v1/admin/sync', auth: 'admin' },
  { name: 'admin cleanup', method: 'POST', path: '/v1/admin/cleanup', auth: 'admin' },
  {
    name: 'admin job run',
    method: 'GET',
    path: '/v1/admin/jobs/runs/00000000-0000-4000-8000-000000000000',
    auth: 'admin',
    withId: (id) => `/v1/admin/jobs/runs/${id}`,
  },
  { name: 'admin events', method: 'GET', path: '/v1/admin/events', auth: 'admin', paged: true },
  {
    name: 'admin sandboxes',
    method: 'GET',
    path: '/v1/admin/sandboxes',
    auth: 'admin',
    paged: true,
  },
  { name: 'admin stats', method: 'GET', path: '/v1/admin/stats', auth: 'admin' },
  { name: 'admin bulk delete', method: 'POST', path: '/v1/admin/bulk-delete', auth: 'admin' },
  { name: 'admin delete stale', method: 'POST', path: '/v1/admin/delete-stale', auth: 'admin' },
  ...(['retry-deletion', 'quarantine', 'force-release'] as const).map((action): Endpoint => ({
    name: `admin ${action}`,
    method: 'POST',
    path: `/v1/admin/sandboxes/4711/${action}`,
    auth: 'admin',
    withId: (id) => `/v1/admin/sandboxes/${id}/${action}`,
  })),
  { name: 'metrics', method: 'GET', path: '/metrics', auth: 'metrics' },
  { name: 'liveness', method: 'GET', path: '/healthz', auth: 'public' },
  { name: 'readiness', method: 'GET', path: '/readyz', auth: 'public' },
  { name: 'swagger ui', method: 'GET', path: '/v1/docs', auth: 'public' },
  { name: 'openapi', method: 'GET', path: '/v1/openapi.json', auth: 'public' },
];

interface BadRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Sent over a raw socket: bytes Node's HTTP client refuses to send. */
  readonly rawHeaderLines?: readonly string[];
  /** Expected status, or any 4xx when absent. */
  readonly status?: number | readonly number[];
  readonly code?: string;
}

const TOKEN_OF: Record<Exclude<Auth, 'public'>, string> = {
  track: TRACK_TOKEN,
  admin: ADMIN_TOKEN,
  metrics: METRICS_TOKEN,
};

function authorised(endpoint: Endpoint): Record<string, string> {
  return endpoint.auth === 'public' ? {} : { Authorization: `Bearer ${TOKEN_OF[endpoint.auth]}` };
}

function validHeaders(endpoint: Endpoint): Record<string, string> {
  return {
    ...authorised(endpoint),
    ...(endpoint.student ? { 'X-Instruqt-Sandbox-ID': 'bad-input-student' } : {}),
  };
}

function casesFor(e: Endpoint): BadRequest[] {
  const cases: BadRequest[] = [];
  const add = (c: Omit<BadRequest, 'method' | 'path'> & { method?: string; path?: string }) =>
    cases.push({ method: e.method, path: e.path, ...c, name: `${e.name}: ${c.name}` });

  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    add({ name: `method ${method}`, method, headers: validHeaders(e), status: [404, 405] });
  }
  add({ name: 'unknown sub-path', path: `${e.path}/no-such-thing`, status: 404 });
  add({
    name: 'headers over 16 KiB',
    rawHeaderLines: [`X-Padding: ${'p'.repeat(20_000)}`],
    status: 431,
    code: 'HEADERS_TOO_LARGE',
  });
  add({
    name: 'control character in a header',
    rawHeaderLines: ['X-Instruqt-Sandbox-ID: stu\u0001dent'],
    status: 400,
  });

  if (e.auth !== 'public') {
    const unauthorised = { status: 401, code: 'UNAUTHORIZED' };
    add({ name: 'no Authorization', headers: {}, ...unauthorised });
    add({ name: 'empty Authorization', headers: { Authorization: '' }, ...unauthorised });
    add({
      name: 'Basic scheme',
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
      ...unauthorised,
    });
    add({ name: 'Bearer without token', headers: { Authorization: 'Bearer' }, ...unauthorised });
    add({ name: 'two tokens', headers: { Authorization: 'Bearer a b' }, ...unauthorised });
    add({
      name: 'wrong token',
      headers: { Authorization: 'Bearer wrong-0123456789' },
      ...unauthorised,
    });
    add({
      name: 'oversized token',
      headers: { Authorization: `Bearer ${'t'.repeat(8000)}` },
      ...unauthorised,
    });
    add({
      name: 'latin-1 token',
      headers: { Authorization: 'Bearer tök\u00e9n-0123456789' },
      ...unauthorised,
    });
    add({
      name: 'UTF-8 token bytes',
      rawHeaderLines: ['Authorization: Bearer t\u00f0\u009f\u0098\u0080ken'],
      ...unauthorised,
    });
    add({
      name: 'control character in the token',
      rawHeaderLines: ['Authorization: Bearer tok\u0000en'],
      status: 400,
    });
    const wrongRole =
      e.auth === 'track'
        ? { token: ADMIN_TOKEN, status: 403 }
        : e.auth === 'admin'
          ? { token: TRACK_TOKEN, status: 403 }
          : { token: TRACK_TOKEN, status: 401 };
    add({
      name: 'token of the wrong role',
      headers: {
        Authorization: `Bearer ${wrongRole.token}`,
        ...(e.student ? { 'X-Instruqt-Sandbox-ID': 'bad-input-student' } : {}),
      },
      status: wrongRole.status,
    });
  }

  if (e.student) {
    const auth = authorised(e);
    const invalid = { status: 400, code: 'VALIDATION_ERROR' };
    add({ name: 'no student id', headers: auth, status: 400, code: 'MISSING_SANDBOX_ID' });
    add({
      name: 'blank student id',
      headers: { ...auth, 'X-Instruqt-Sandbox-ID': '   ' },
      status: 400,
      code: 'MISSING_SANDBOX_ID',
    });
    add({
      name: 'oversized student id',
      headers: { ...auth, 'X-Instruqt-Sandbox-ID': 's'.repeat(300) },
      ...invalid,
    });
    add({
      name: 'oversized legacy student id',
      headers: { ...auth, 'X-Track-ID': 's'.repeat(3000) },
      ...invalid,
    });
    add({
      name: 'latin-1 student id',
      headers: { ...auth, 'X-Instruqt-Sandbox-ID': 'st\u00fcdent' },
      ...invalid,
    });
    add({
      name: 'tab in student id',
      headers: { ...auth, 'X-Instruqt-Sandbox-ID': 'stu\tdent' },
      ...invalid,
    });
    add({
      name: 'UTF-8 student id bytes',
      rawHeaderLines: [
        `Authorization: Bearer ${TRACK_TOKEN}`,
        'X-Instruqt-Sandbox-ID: \u00e5\u00ad\u00a6\u00e7\u0094\u009f',
      ],
      ...invalid,
    });
    add({
      name: 'DEL in student id',
      rawHeaderLines: [
        `Authorization: Bearer ${TRACK_TOKEN}`,
        'X-Instruqt-Sandbox-ID: stu\u007fdent',
      ],
      status: 400,
    });
  }

  if (e.allocationHeaders) {
    const base = validHeaders(e);
    for (const [header, max] of [
      ['X-Sandbox-Name-Prefix', 128],
      ['Idempotency-Key', 256],
      ['X-Instruqt-Track-ID', 256],
    ] as const) {
      const invalid = { status: 400, code: 'VALIDATION_ERROR' };
      add({
        name: `oversized ${header}`,
        headers: { ...base, [header]: 'k'.repeat(max + 1) },
        ...invalid,
      });
      add({
        name: `huge ${header}`,
        headers: { ...base, [header]: 'k'.repeat(10_000) },
        ...invalid,
      });
      add({ name: `latin-1 ${header}`, headers: { ...base, [header]: 'caf\u00e9' }, ...invalid });
      add({ name: `tab in ${header}`, headers: { ...base, [header]: 'a\tb' }, ...invalid });
    }
  }

  if (e.withId) {
    for (const [label, id] of [
      ['oversized id', 'i'.repeat(200)],
      ['space in id', 'a%20b'],
      ['NUL in id', 'a%00b'],
      ['semicolon in id', 'a;b'],
      ['emoji in id', '%F0%9F%98%80'],
      ['quote in id', '%22%27'],
      ['encoded slash traversal', '..%2F..%2Fetc'],
    ] as const) {
      // 414: Fastify refuses path parameters over 100 characters before routing.
      add({ name: label, path: e.withId(id), headers: validHeaders(e), status: [400, 404, 414] });
    }
  }

  if (e.paged) {
    const headers = validHeaders(e);
    for (const [label, query] of [
      ['limit not a number', 'limit=abc'],
      ['limit zero', 'limit=0'],
      ['limit negative', 'limit=-5'],
      ['limit huge', 'limit=1000000000'],
      ['limit fractional', 'limit=1.5'],
      ['limit repeated', 'limit=1&limit=2'],
      ['garbage cursor', 'cursor=not-a-cursor!!'],
      ['base64 garbage cursor', `cursor=${Buffer.from('{"x":1}').toString('base64url')}`],
      ['oversized cursor', `cursor=${'c'.repeat(2000)}`],
      ['unknown parameter', 'colour=blue'],
    ] as const) {
      add({ name: label, path: `${e.path}?${query}`, headers, status: 400 });
    }
  }

  if (e.method === 'POST') {
    const headers = { ...validHeaders(e), 'Content-Type': 'application/json' };
    add({
      name: 'body over BODY_LIMIT_BYTES',
      headers,
      body: JSON.stringify({ pad: 'x'.repeat(100_000) }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    add({ name: 'malformed JSON', headers, body: '{"a":', status: 400 });
    add({ name: 'prototype pollution JSON', headers, body: '{"__proto__":{"x":1}}', status: 400 });
  }
  return cases;
}

const GLOBAL_CASES: readonly BadRequest[] = [
  { name: 'unknown route', method: 'GET', path: '/v1/nope', status: 404, code: 'NOT_FOUND' },
  { name: 'root', method: 'GET', path: '/', status: 404 },
  { name: 'other API version', method: 'POST', path: '/v2/allocate', status: 404 },
  { name: 'trailing segment', method: 'POST', path: '/v1/allocate/extra', status: 404 },
  { name: 'GET on a POST route', method: 'GET', path: '/v1/allocate', status: [404, 405] },
  { name: 'double slash', method: 'GET', path: '//v1//sandboxes//1', status: [400, 404] },
  { name: 'malformed URL encoding', method: 'GET', path: '/v1/sandboxes/%', status: 400 },
  { name: 'malformed URL encoding at the root', method: 'GET', path: '/%zz', status: [400, 404] },
];

const CORPUS: readonly BadRequest[] = [...ENDPOINTS.flatMap(casesFor), ...GLOBAL_CASES];

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One request over a plain socket (Node's client refuses control characters in headers). */
function sendRaw(port: number, method: string, path: string, lines: readonly string[]) {
  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: rest.join('\r\n\r\n') });
    });
    socket.write(
      Buffer.from(
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
          lines.map((l) => `${l}\r\n`).join('') +
          '\r\n',
        'latin1',
      ),
    );
  });
}

describe('bad input at every endpoint (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let port: number;
  let before: Record<string, unknown>[];

  beforeAll(async () => {
    t = await startApiTestApp({
      METRICS_TOKEN,
      // The corpus comes from one client; keep the limiter out of the way (tested on its own).
      RATE_LIMIT_BURST: '1000000',
      RATE_LIMIT_PER_SEC: '1000000',
    });
    await t.seed(5, 'lab-bad-');
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    port = (t.server.address() as AddressInfo).port;
    before = await t.scanTable();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('has a corpus covering every endpoint', () => {
    expect(before.length).toBeGreaterThanOrEqual(5);
    expect(CORPUS.length).toBeGreaterThan(150);
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    let res: RawResponse;
    if (c.rawHeaderLines !== undefined) {
      res = await sendRaw(port, c.method, c.path, c.rawHeaderLines);
    } else {
      const req = request(t.server)[c.method.toLowerCase() as 'get'](c.path);
      for (const [name, value] of Object.entries(c.headers ?? {})) void req.set(name, value);
      const answer = c.body !== undefined ? await req.send(c.body) : await req;
      res = {
        status: answer.status,
        headers: answer.headers,
        text: answer.text,
      };
    }
    const expected = c.status === undefined ? undefined : [c.status].flat();
    if (expected) expect(expected).toContain(res.status);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body['status']).toBe(res.status);
    expect(body['code']).toEqual(expect.stringMatching(/^[A-Z][A-Z0-9_]*$/));
    if (c.code !== undefined) expect(body['code']).toBe(c.code);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(body['request_id']).toBe(res.headers['x-request-id']);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['permissions-policy']).toContain('geolocation=()');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // Nothing the caller sent comes back verbatim when it is long.
    expect(res.text).not.toContain('k'.repeat(200));
    expect(res.text).not.toContain('t'.repeat(200));
  });

  it('left the table exactly as it was', async () => {
    expect(await t.scanTable()).toEqual(before);
  });
});
