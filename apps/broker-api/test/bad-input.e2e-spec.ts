import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp, TRACK_TOKEN } from './testing/api-test-app';
import {
  authorised,
  type Endpoint,
  ENDPOINTS,
  METRICS_TOKEN,
  validHeaders,
} from './testing/endpoints';
import { forgedCursors, repeatedHeaderRequests } from './testing/malformed';
import { type RawResponse, sendRaw } from './testing/raw-http';

/**
 * Table-driven: a corpus of malformed requests against every endpoint. Each must be refused with
 * a 4xx problem+json carrying a code, the request id and the security headers, and the table must
 * be exactly the same afterwards. Adding an endpoint is one entry in ENDPOINTS.
 */

interface BadRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Sent over a raw socket: bytes Node's HTTP client refuses to send, repeated headers. */
  readonly rawHeaderLines?: readonly string[];
  /** The problem's `errors[]` names this field. */
  readonly field?: string;
  /** Expected status, or any 4xx when absent. */
  readonly status?: number | readonly number[];
  readonly code?: string | readonly string[];
}

function casesFor(e: Endpoint): BadRequest[] {
  const cases: BadRequest[] = [];
  const add = (c: Omit<BadRequest, 'method' | 'path'> & { method?: string; path?: string }) =>
    cases.push({ method: e.method, path: e.path, ...c, name: `${e.name}: ${c.name}` });

  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    if (method === e.method || e.sameRoute?.includes(method)) continue;
    add({ name: `method ${method}`, method, headers: validHeaders(e), status: [404, 405] });
  }
  add({
    name: 'unknown sub-path',
    path: `${e.path}/no-such-thing/deeper`,
    status: e.idRoutesBelow ? [401, 404] : 404,
  });
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

  // A header read as one value, sent twice: Node would join the values ("a, b") or keep the
  // first; each is refused before anything reads it, naming the header.
  for (const [header, lines] of repeatedHeaderRequests(e)) {
    add({
      name: `repeated ${header}`,
      rawHeaderLines: lines,
      status: 400,
      ...(header === 'Host' ? {} : { code: 'VALIDATION_ERROR' }),
      field: header,
    });
  }

  // Names of Object.prototype members are dropped by class-transformer before the whitelist
  // sees them; routes without a query DTO take no query at all.
  for (const query of [
    'toString=1',
    '__proto__=1',
    'constructor=1',
    'hasOwnProperty=1',
    'valueOf=1',
    '__proto__[polluted]=1',
    'constructor[prototype][polluted]=1',
    'colour=blue',
  ]) {
    add({
      name: `query ${query}`,
      path: `${e.path}?${query}`,
      headers: validHeaders(e),
      status: 400,
      code: 'VALIDATION_ERROR',
    });
  }

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
    for (const header of ['X-Instruqt-Sandbox-ID', 'X-Track-ID']) {
      add({
        name: `${header} as a list`,
        headers: { ...auth, [header]: 'stu-A, stu-B' },
        ...invalid,
        field: header,
      });
    }
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
      if (header !== 'Idempotency-Key') {
        // An opaque idempotency key may contain a comma; slugs and prefixes never do.
        add({
          name: `${header} as a list`,
          headers: { ...base, [header]: 'a, b' },
          ...invalid,
          field: header,
        });
      }
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

  if (e.cursorFilter !== undefined) {
    for (const [label, cursor] of forgedCursors(e.cursorFilter)) {
      add({
        name: `forged cursor: ${label}`,
        path: `${e.path}?cursor=${cursor}`,
        headers: validHeaders(e),
        status: 400,
        // VALIDATION_ERROR where the query DTO bounds the cursor's length first.
        code: ['INVALID_CURSOR', 'VALIDATION_ERROR'],
      });
    }
  }

  for (const bad of e.badBodies ?? []) {
    add({
      name: bad.label,
      headers: { ...validHeaders(e), 'Content-Type': 'application/json' },
      body: JSON.stringify(bad.body),
      status: bad.status ?? 400,
      code: bad.code ?? 'VALIDATION_ERROR',
      ...(bad.field !== undefined ? { field: bad.field } : {}),
    });
  }
  if (e.method === 'POST' || e.method === 'PUT') {
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
    add({
      name: 'constructor pollution JSON',
      headers,
      body: '{"constructor":{"prototype":{"x":1}}}',
      status: 400,
    });
    // 10 KB of nesting: class-transformer recursed until the stack overflowed (a 500).
    for (const [label, body] of [
      ['arrays nested 5,000 deep', '['.repeat(5000) + ']'.repeat(5000)],
      ['objects nested 3,000 deep', '{"a":'.repeat(3000) + '1' + '}'.repeat(3000)],
      ['reason nested 33 deep', `{"reason":${'['.repeat(33)}${']'.repeat(33)}}`],
      ['unterminated nesting', '['.repeat(5000)],
    ] as const) {
      add({ name: label, headers, body, status: 400, code: 'JSON_TOO_DEEP' });
    }
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
  ...(['GET', 'DELETE'] as const).map((method): BadRequest => ({
    name: `${method} the quota of a track without one`,
    method,
    path: '/v1/admin/tracks/no-such-lab/quota',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    status: 404,
    code: 'TRACK_NOT_FOUND',
  })),
  {
    name: 'quota of a track slug with a colon',
    method: 'PUT',
    path: '/v1/admin/tracks/a%3Ab/quota',
    headers: {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
      'Content-Type': 'application/json',
    },
    body: '{"max_allocated":1}',
    status: 400,
    code: 'VALIDATION_ERROR',
    field: 'track',
  },
];

const CORPUS: readonly BadRequest[] = [...ENDPOINTS.flatMap(casesFor), ...GLOBAL_CASES];

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
    if (c.code !== undefined) expect([c.code].flat()).toContain(body['code']);
    if (c.field !== undefined) {
      expect(body['errors']).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: c.field })]),
      );
    }
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
