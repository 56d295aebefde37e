import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpCspClient } from '../src';

/** A listener that accepts connections, reads, and never answers (a stalled provider). */
async function blackHole() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function clientAt(base: string): HttpCspClient {
  return new HttpCspClient({
    baseUrl: `${base}/v2`,
    token: 't',
    timeouts: { listMs: 300, deleteMs: 300 },
    retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 100 },
    breaker: { threshold: 100, halfOpenAfterMs: 60_000 },
    niosxaas: {
      enabled: true,
      baseUrl: base,
      email: 'ops@example.test',
      password: 'pw',
      serviceName: 'Instrqt-SaaS',
      shadowMode: false,
      timeoutMs: 300,
    },
  });
}

/** Every provider call whose answer changes our state, against a dead or stalled provider. */
const CALLS: ReadonlyArray<[string, (c: HttpCspClient) => Promise<unknown>]> = [
  [
    'listSandboxes',
    (c) =>
      c.listSandboxes().then(
        () => ({ kind: 'answered' }),
        () => ({ kind: 'retryable' }),
      ),
  ],
  ['readAccount', (c) => c.readAccount('identity/accounts/acc-1')],
  ['deleteSandbox', (c) => c.deleteSandbox('identity/accounts/acc-1')],
  ['cleanupUniversalServices', (c) => c.cleanupUniversalServices('identity/accounts/acc-1')],
];

/** Issue #12 §4: each provider call ends within its deadline as a retryable failure. */
describe.each([
  ['a provider that accepts and never answers', 'black-hole'],
  ['a closed port', 'closed'],
])('CSP client against %s', (_label, kind) => {
  let hole: Awaited<ReturnType<typeof blackHole>> | undefined;
  let base: string;
  beforeAll(async () => {
    hole = kind === 'black-hole' ? await blackHole() : undefined;
    base = hole?.url ?? (await closedPort());
  });
  afterAll(() => hole?.close());

  it.each(CALLS)('%s fails retryable, promptly', async (_name, call) => {
    const started = Date.now();
    const outcome = (await call(clientAt(base))) as { kind: string };
    expect(outcome.kind).toBe('retryable');
    // Two attempts of 300 ms at most, plus a little back-off.
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('leaves no connection open', async () => {
    for (let i = 0; i < 50 && (hole?.open() ?? 0) > 0; i += 1) await sleep(100);
    expect(hole?.open() ?? 0).toBe(0);
  });
});
