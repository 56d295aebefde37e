// Starts a dynalite process on loopback for the benchmark and measures the engine ceiling:
// conditional UpdateItem/s from a plain SDK client at a given concurrency.
import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { Agent, request } from 'node:http';

const require = createRequire(import.meta.url);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port, timeoutMs = 15000) {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

// Runs in the child: dynalite in memory on loopback; exits when the bench process goes away (the
// IPC channel closes), so a crashed or killed bench never leaves an engine behind.
const DYNALITE_SCRIPT = `
const dynalite = require(process.env.DYNALITE_MODULE);
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(process.env.DYNALITE_PORT), '127.0.0.1', () => process.send({ ready: true }));
const exit = () => process.exit(0); // a normal exit, so --cpu-prof writes its profile
process.on('disconnect', exit);
process.on('SIGTERM', exit);
process.on('SIGINT', exit);
`;

/**
 * dynalite as its own in-memory process (measured fastest on these machines). `nodeArgs` (e.g.
 * `--cpu-prof`) go to that process.
 */
export async function startDynalite({ nodeArgs = [] } = {}) {
  const port = await freePort();
  const child = fork('-e', [DYNALITE_SCRIPT], {
    execArgv: nodeArgs,
    env: {
      ...process.env,
      DYNALITE_MODULE: require.resolve('dynalite'),
      DYNALITE_PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`dynalite exited early (${code})`)));
  });
  child.removeAllListeners('exit');
  await waitForPort(port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (child.connected) child.disconnect();
      }),
  };
}

/**
 * The physical limit for one allocation's write: conditional UpdateItem/s with `connections`
 * requests in flight, on items created for the purpose, from the fastest plain SDK setup measured
 * here (low-level DynamoDBClient, `cacheMiddleware: true`, keep-alive agent with a socket per
 * request in flight). A DocumentClient with SDK defaults measured 35–45% lower on this machine
 * (see bench/README.md), which is what the first runs reported as "the ceiling".
 */
export async function measureEngineCeiling({ endpoint, tableName, connections, seconds }) {
  const { DynamoDBClient, PutItemCommand, UpdateItemCommand } =
    await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    cacheMiddleware: true,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: connections }) },
  });
  const items = await createCeilingItems(tableName, connections, (Item) =>
    client.send(new PutItemCommand({ TableName: tableName, Item })),
  );
  const perS = await drive(connections, seconds, items, (i) =>
    client.send(new UpdateItemCommand(ceilingUpdate(tableName, i))),
  );
  client.destroy();
  return perS;
}

/**
 * The same writes without any SDK (hand-built JSON over a keep-alive agent): what the engine
 * process itself serves while sharing the cores with a client that costs ~0.25 ms per call.
 */
export async function measureRawEngineCeiling({ endpoint, tableName, connections, seconds }) {
  const send = rawUpdateSender(endpoint, connections);
  const perS = await drive(connections, seconds, connections * 4, (i) =>
    send(ceilingUpdate(tableName, i)),
  );
  return perS;
}

/** The ceiling's write: a conditional counter increment on a tiny item without index keys. */
export function ceilingUpdate(tableName, i) {
  return {
    TableName: tableName,
    Key: { PK: { S: `CEILING#${i}` }, SK: { S: 'META' } },
    UpdateExpression: 'SET n = n + :one',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeValues: { ':one': { N: '1' } },
  };
}

/** Puts the items `ceilingUpdate` writes (4 per connection); resolves with their count. */
export async function createCeilingItems(tableName, connections, put) {
  const items = connections * 4;
  for (let i = 0; i < items; i += 1) {
    await put({ PK: { S: `CEILING#${i}` }, SK: { S: 'META' }, n: { N: '0' } });
  }
  return items;
}

async function drive(connections, seconds, items, send) {
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const worker = async (w) => {
    let i = w;
    while (Date.now() < until) {
      await send(i % items);
      done += 1;
      i += connections;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, (_, w) => worker(w)));
  return Math.round(done / ((Date.now() - started) / 1000));
}

/**
 * DynamoDB requests as raw JSON over HTTP, no SDK (dynalite checks the auth header's shape only):
 * `send(operation, input)` resolves with the parsed answer, rejects on any non-200.
 */
export function rawSender(endpoint, connections) {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
    'x-amz-date': '20260101T000000Z',
  };
  return (operation, input) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(input);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          agent,
          headers: {
            ...headers,
            'x-amz-target': `DynamoDB_20120810.${operation}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode === 200) resolve(JSON.parse(text));
            else reject(new Error(`${operation}: ${res.statusCode} ${text}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** UpdateItem as raw DynamoDB JSON over HTTP (the no-SDK ceiling). */
export function rawUpdateSender(endpoint, connections) {
  const send = rawSender(endpoint, connections);
  return (input) => send('UpdateItem', input).then(() => undefined);
}
