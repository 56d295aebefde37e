import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BrokerProblem,
  createBrokerClient,
  normalizeBaseUrl,
  parseRetryAfter,
  retryDelayMs,
} from './index';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('broker client', () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const sandbox = {
    sandbox_id: '2000001',
    name: 'lab-0001',
    external_id: 'identity/accounts/1b2c',
    status: 'allocated',
    allocated_to_track: 'student-1',
    allocated_at: 1,
    expires_at: 2,
    track_name: 'dns',
    sfdc_account_id: null,
  };
  const problem = (res: ServerResponse, status: number, code: string, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
    res.end(
      JSON.stringify({
        type: 'x',
        title: 't',
        status,
        detail: `${code} detail`,
        code,
        request_id: 'req-1',
      }),
    );
  };
  const waits: number[] = [];
  const client = (retries = 3) =>
    createBrokerClient({
      baseUrl,
      token: 'tok',
      timeoutMs: 300,
      retry: { retries },
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    });

  it('sends the lab headers and the token, and returns the typed body', async () => {
    handler = (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(sandbox));
    };
    const answer = await client().allocate({
      studentId: 'student-1',
      trackSlug: 'dns',
      namePrefix: 'lab-',
    });
    expect(answer).toEqual({ status: 201, data: sandbox });
    expect(seen[0]?.url).toBe('/v1/allocate');
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Bearer tok',
      'x-instruqt-sandbox-id': 'student-1',
      'x-instruqt-track-id': 'dns',
      'x-sandbox-name-prefix': 'lab-',
    });
  });

  it('retries 503 and 429, waiting at least Retry-After, then succeeds', async () => {
    waits.length = 0;
    let n = 0;
    handler = (_req, res) => {
      n++;
      if (n === 1) return problem(res, 503, 'STORE_UNAVAILABLE');
      if (n === 2) return problem(res, 429, 'RATE_LIMIT_EXCEEDED', { 'retry-after': '2' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(sandbox));
    };
    const answer = await client().allocate({ studentId: 'student-1' });
    expect(answer.status).toBe(200);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThanOrEqual(2000);
  });

  it('surfaces a problem+json answer as a typed BrokerProblem without retrying a 409', async () => {
    handler = (_req, res) => problem(res, 409, 'NO_SANDBOXES_AVAILABLE', { 'retry-after': '30' });
    const error = await client()
      .allocate({ studentId: 's' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerProblem);
    expect(error).toMatchObject({
      kind: 'http',
      status: 409,
      code: 'NO_SANDBOXES_AVAILABLE',
      requestId: 'req-1',
      retryAfterSec: 30,
      transient: false,
    });
    expect(seen).toHaveLength(1);
  });

  it('gives up after the retries with the last transient problem', async () => {
    handler = (_req, res) => problem(res, 502, 'BAD_GATEWAY');
    const error = await client(2)
      .status('1', 's')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'BAD_GATEWAY' });
    expect(seen).toHaveLength(3);
  });

  it('times out a silent server and reports TIMEOUT', async () => {
    handler = () => undefined; // never answers
    const error = await client(0)
      .release('1', 's')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', status: 0, code: 'TIMEOUT' });
  });

  it('extends once and never retries an extension (it is not idempotent)', async () => {
    handler = (_req, res) => {
      if (seen.length === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            sandbox_id: '7',
            status: 'allocated',
            allocated_at: 1,
            expires_at: 3601,
            extension_count: 1,
            extensions_left: 1,
          }),
        );
        return;
      }
      problem(res, 503, 'STORE_UNAVAILABLE', { 'retry-after': '0' });
    };
    const answer = await client().extend('7', 'student-1');
    expect(answer).toMatchObject({ status: 200, data: { expires_at: 3601, extensions_left: 1 } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/sandboxes/7/extend' });
    expect(seen[0]?.headers['x-instruqt-sandbox-id']).toBe('student-1');
    await expect(client().extend('7', 'student-1')).rejects.toMatchObject({
      status: 503,
      code: 'STORE_UNAVAILABLE',
    });
    expect(seen).toHaveLength(2);
  });

  it('reports a closed port as NETWORK_ERROR', async () => {
    const closed = createBrokerClient({
      baseUrl: 'http://127.0.0.1:1',
      token: 't',
      retry: { retries: 0 },
    });
    await expect(closed.status('1', 's')).rejects.toMatchObject({
      kind: 'network',
      code: 'NETWORK_ERROR',
    });
  });

  it('a non-JSON error body still becomes a problem', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'content-type': 'text/html' });
      res.end('<html>blocked</html>');
    };
    await expect(client().status('1', 's')).rejects.toMatchObject({
      status: 403,
      code: 'HTTP_403',
    });
  });
});

describe('helpers', () => {
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it('full jitter without Retry-After, and refuses a Retry-After beyond the cap', () => {
    const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    const p = (retryAfter: number | null) =>
      new BrokerProblem('http', 503, 'X', 'x', null, retryAfter);
    expect(retryDelayMs(p(null), 3, policy, () => 1)).toBe(400);
    expect(retryDelayMs(p(null), 10, policy, () => 1)).toBe(1000);
    expect(retryDelayMs(p(3), 1, policy, () => 0)).toBe(3000);
    expect(retryDelayMs(p(60), 1, policy, () => 0)).toBeNull();
  });

  it('accepts the base URL with or without /v1', () => {
    expect(normalizeBaseUrl('https://b.example/v1/')).toBe('https://b.example');
    expect(normalizeBaseUrl('https://b.example')).toBe('https://b.example');
  });
});
