import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { ADMIN_TOKEN, type ApiTestApp, startApiTestApp } from './testing/api-test-app';
import { parseRawResponse, type RawResponse, sendRaw } from './testing/raw-http';

/**
 * The HTTP surface below routing, over real sockets on 127.0.0.1: answers Fastify or Node's
 * parser give before any route runs are counted in /metrics, and the server's deadlines cut
 * slow clients (short deadlines here; production defaults in the README).
 */

/** The value of one sample of the Prometheus text, matched by name and every given label. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}{`) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

interface Drip {
  /** What the server answered before closing (empty when it closed silently). */
  readonly answer: RawResponse | undefined;
  /** Whether the server closed the socket before the client finished sending. */
  readonly closedEarly: boolean;
}

/**
 * Opens a socket, writes `head`, then one byte of `trickle` every `everyMs`, at most
 * `trickle.length` times (a bounded loop); resolves when the server closes the socket or the
 * bytes run out (then waits `graceMs` more, bounded too).
 */
function drip(port: number, head: string, trickle: string, everyMs: number, graceMs = 3000) {
  return new Promise<Drip>((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (closedEarly: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ answer: raw === '' ? undefined : parseRawResponse(raw), closedEarly });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(sent < trickle.length));
    const next = () => {
      if (sent >= trickle.length) {
        timer = setTimeout(() => finish(false), graceMs);
        return;
      }
      socket.write(trickle[sent++] ?? '');
      timer = setTimeout(next, everyMs);
    };
    socket.write(head);
    timer = setTimeout(next, everyMs);
  });
}

/**
 * Sends one complete request on a keep-alive connection, then stays silent; resolves when the
 * server closes the connection, or after `boundMs` (then `closedByServer` is false).
 */
function idle(port: number, requestText: string, boundMs: number) {
  return new Promise<{ answer: RawResponse | undefined; closedByServer: boolean }>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ answer: raw === '' ? undefined : parseRawResponse(raw), closedByServer });
    };
    const timer = setTimeout(() => done(false), boundMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => done(true));
    socket.on('end', () => done(true));
    socket.write(requestText);
  });
}

describe('HTTP surface below routing (e2e, real sockets, dynalite)', () => {
  let t: ApiTestApp;
  let port: number;

  beforeAll(async () => {
    t = await startApiTestApp({
      HTTP_HEADERS_TIMEOUT_SEC: '0.6',
      HTTP_REQUEST_TIMEOUT_SEC: '1',
      HTTP_KEEP_ALIVE_TIMEOUT_SEC: '0.5',
    });
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    port = (t.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts answers made before routing in the request metrics', async () => {
    const auth = `Authorization: Bearer ${ADMIN_TOKEN}`;
    const answers = [
      await sendRaw(port, 'GET', `/v1/admin/jobs/runs/${'i'.repeat(150)}`, [auth]),
      await sendRaw(port, 'GET', '/v1/sandboxes/%', [auth]),
      await sendRaw(port, 'GET', '/healthz', [`X-Padding: ${'p'.repeat(20_000)}`]),
      await sendRaw(port, 'GET', '/healthz', ['X-Broken: a\u0001b']),
    ];
    expect(answers.map((a) => a.status)).toEqual([414, 400, 431, 400]);
    for (const answer of answers) {
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    const latency = 'broker_request_latency_seconds_count';
    expect(sample(metrics, latency, { endpoint: 'unrouted', status: '414' })).toBe(1);
    expect(sample(metrics, latency, { endpoint: 'unrouted', status: '400' })).toBe(1);
    const unparsed = 'broker_unparsed_responses_total';
    expect(sample(metrics, unparsed, { status: '431', code: 'HEADERS_TOO_LARGE' })).toBe(1);
    expect(sample(metrics, unparsed, { status: '400', code: 'MALFORMED_REQUEST' })).toBe(1);
  });

  it('cuts a connection that sends its body one byte at a time (request deadline)', async () => {
    const head =
      'POST /v1/admin/sandboxes/4711/quarantine HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: Bearer ${ADMIN_TOKEN}\r\nContent-Type: application/json\r\n` +
      'Content-Length: 64\r\n\r\n';
    // 64 bytes at one per 200 ms would take 12.8 s; the deadline is 1 s.
    const result = await drip(port, head, `{"reason":"${'x'.repeat(51)}"}`, 200);
    expect(result.closedEarly).toBe(true);
    if (result.answer !== undefined) {
      expect(result.answer.status).toBe(408);
      expect(result.answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(result.answer.text)).toMatchObject({
        status: 408,
        code: 'REQUEST_TIMEOUT',
      });
    }
  });

  it('cuts a connection that never finishes its headers (headers deadline)', async () => {
    const result = await drip(
      port,
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      'X-Slow: ' + 'a'.repeat(40),
      200,
    );
    expect(result.closedEarly).toBe(true);
    if (result.answer !== undefined) expect(result.answer.status).toBe(408);
    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    expect(
      sample(metrics, 'broker_unparsed_responses_total', {
        status: '408',
        code: 'REQUEST_TIMEOUT',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('closes an idle keep-alive connection after the keep-alive deadline', async () => {
    const result = await idle(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 8000);
    expect(result.answer?.status).toBe(200);
    expect(result.closedByServer).toBe(true);
  });
});
