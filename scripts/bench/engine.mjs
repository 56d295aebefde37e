// Starts a dynalite process on loopback for the benchmark and measures the engine ceiling:
// conditional UpdateItem/s from a plain SDK client at a given concurrency.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';

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

/** dynalite as its own in-memory process (measured fastest on these machines). */
export async function startDynalite() {
  const port = await freePort();
  const cli = require.resolve('dynalite/cli.js');
  const child = spawn(process.execPath, [cli, '--port', String(port), '--host', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The physical limit for one allocation's write: conditional UpdateItem/s with `connections`
 * requests in flight, on items created for the purpose.
 */
export async function measureEngineCeiling({ endpoint, tableName, connections, seconds }) {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, PutCommand, UpdateCommand } =
    await import('@aws-sdk/lib-dynamodb');
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const items = connections * 4;
  for (let i = 0; i < items; i += 1) {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { PK: `CEILING#${i}`, SK: 'META', n: 0 },
      }),
    );
  }
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const worker = async (w) => {
    let i = w;
    while (Date.now() < until) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { PK: `CEILING#${i % items}`, SK: 'META' },
          UpdateExpression: 'SET n = n + :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      done += 1;
      i += connections;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, (_, w) => worker(w)));
  client.destroy();
  return Math.round(done / ((Date.now() - started) / 1000));
}
