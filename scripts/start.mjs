#!/usr/bin/env node
// `npm start`: build, start dynalite (data kept in .data/dynalite), create the table, seed a demo
// pool, start the API, wait until it is ready and print how to use it. Ctrl-C stops everything.
//
// Environment (all optional):
//   DDB_PORT=8000          dynalite port on 127.0.0.1
//   PORT=8080, HOST=127.0.0.1   API address
//   DDB_TABLE_NAME=sandbox-broker
//   DEMO_POOL_SIZE=200     sandboxes the CSP simulator lists (lab-demo-0001…); the worker's sync
//                          brings them into the pool. DEMO_SEED=direct seeds the table directly instead.
//   SIM_PORT=8090          CSP simulator port;  WORKER_PORT=9464  worker health/metrics port
//   SKIP_BUILD=1           reuse the existing dist/ folders (else `npm run build`, which also
//                          builds the console SPA)
//   START_LOGS=inherit     show the children's logs here instead of .data/logs/<name>.log
//   BROKER_API_TOKEN / BROKER_ADMIN_TOKEN / BROKER_VIEWER_TOKEN (or *_TOKENS lists)
//                          default: the dev tokens
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { banner, childOutput, log, tailOf } from './start-output.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// The AWS SDK warns about Node 20 on every start; the repo pins Node 20 deliberately.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function intSetting(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    fail(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}

const settings = {
  loopback: '127.0.0.1',
  ddbPort: intSetting('DDB_PORT', 8000),
  apiHost: process.env.HOST?.trim() || '127.0.0.1',
  apiPort: intSetting('PORT', 8080),
  tableName: process.env.DDB_TABLE_NAME?.trim() || 'sandbox-broker',
  region: process.env.AWS_REGION?.trim() || 'us-east-1',
  poolSize: intSetting('DEMO_POOL_SIZE', 200),
  dataDir: join(root, '.data', 'dynalite'),
  skipBuild: process.env.SKIP_BUILD === '1',
  directSeed: process.env.DEMO_SEED === 'direct',
  simPort: intSetting('SIM_PORT', 8090),
  workerPort: intSetting('WORKER_PORT', 9464),
};
const simUrl = `http://${'127.0.0.1'}:${settings.simPort}`;
const workerUrl = `http://${'127.0.0.1'}:${settings.workerPort}`;
const ddbEndpoint = `http://${settings.loopback}:${settings.ddbPort}`;
const apiUrl = `http://${settings.apiHost}:${settings.apiPort}`;

const DEV_TOKENS = {
  track: 'dev-track-token',
  admin: 'dev-admin-token',
  viewer: 'dev-viewer-token',
};

// ---------------------------------------------------------------------------------------------
// Child processes: each is started, awaited until ready, and stopped in reverse order.

/** @type {{ name: string, proc: import('node:child_process').ChildProcess, exited: Promise<void> }[]} */
const children = [];
let stopping = false;

// Loaded into every child: when this script dies (even by SIGKILL) the IPC channel closes and the
// child shuts itself down with SIGTERM, so no orphans are left behind.
const EXIT_WITH_PARENT =
  'data:text/javascript,' +
  encodeURIComponent(
    "if (process.channel) { process.channel.unref(); process.on('disconnect', () => process.kill(process.pid, 'SIGTERM')); }",
  );

/**
 * Starts a Node child process and waits for `ready()`. If the child exits before or after it is
 * ready (and we are not stopping), everything is stopped.
 */
async function startChild({ name, args, env = {}, ready }) {
  log(`starting ${name}…`);
  const output = childOutput(root, name);
  const proc = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', output.stdio, output.stdio, 'ipc'],
    // Own process group: Ctrl-C reaches only this script, which then stops the children in
    // reverse start order (the API before the database it uses).
    detached: true,
  });
  // The child holds its own copy of the log file descriptor.
  output.close();
  const exited = new Promise((resolve) => proc.once('exit', () => resolve()));
  children.push({ name, proc, exited });
  let readyDone = false;
  proc.once('exit', (code, signal) => {
    if (stopping) return;
    log(
      `${name} exited ${readyDone ? 'unexpectedly' : 'during start-up'} (${signal ?? `code ${code}`})`,
    );
    const tail = tailOf(output.file);
    if (tail)
      process.stderr.write(`--- last lines of ${output.file} ---
${tail}
---
`);
    void shutdown(1);
  });
  await Promise.race([
    ready(),
    exited.then(() => {
      throw new Error(`${name} exited during start-up`);
    }),
  ]);
  readyDone = true;
  return proc;
}

async function stopChild({ name, proc, exited }) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
  if (timedOut) {
    log(`${name} did not stop within 10 s; killing it`);
    proc.kill('SIGKILL');
    await exited;
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) await stopChild(child);
  process.exit(code);
}

process.on('SIGINT', () => {
  log('stopping…');
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

// ---------------------------------------------------------------------------------------------
// Helpers

function fail(message) {
  process.stderr.write(`[start] ${message}\n`);
  if (children.length > 0) void shutdown(1);
  else process.exit(1);
}

/** Fails clearly when something already listens on the port. */
async function assertPortFree(host, port, setting) {
  await new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => {
      const reason =
        error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${error.code})`;
      fail(
        `${host}:${port} ${reason}. Is another \`npm start\` running? ` +
          `Stop it or choose another port with ${setting}=<port>.`,
      );
    });
    probe.listen(port, host, () => probe.close(resolve));
  });
}

async function waitFor(what, probe, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (stopping) throw new Error('stopping');
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
    await sleep(150);
  }
}

const tcpOpen = (host, port) =>
  new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Runs a build step quietly: its output is shown only when it fails. */
function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    fail(`${[command, ...args].join(' ')} failed`);
  }
}

/** Deterministic demo sandbox number `i` (ids stable across starts, so seeding is idempotent). */
function demoSandbox(i) {
  const name = `lab-demo-${String(i).padStart(4, '0')}`;
  const h = createHash('sha256').update(name).digest('hex');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return {
    sandboxId: String(2_026_000 + i),
    name,
    externalId: `identity/accounts/${uuid}`,
    createdAt: 1_760_000_000 + i * 60,
    // Most CSP accounts carry a Salesforce id; some do not (lab scripts must cope with null).
    sfdcAccountId: i % 5 === 0 ? null : `0015g0000${h.slice(32, 41).toUpperCase()}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The steps

async function main() {
  await assertPortFree(settings.loopback, settings.ddbPort, 'DDB_PORT');
  await assertPortFree(settings.apiHost, settings.apiPort, 'PORT');
  await assertPortFree(settings.loopback, settings.simPort, 'SIM_PORT');
  await assertPortFree(settings.loopback, settings.workerPort, 'WORKER_PORT');

  if (settings.skipBuild) log('SKIP_BUILD=1: using existing dist/ folders');
  else {
    // `npm run build` is the one build: the projects, the CLI bundle and the console SPA.
    log('building (npm run build; the first build takes a minute)…');
    const started = Date.now();
    run(process.env.npm_execpath ? process.execPath : 'npm', [
      ...(process.env.npm_execpath ? [process.env.npm_execpath] : []),
      'run',
      'build',
      '--silent',
    ]);
    log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  }

  // dynalite in its own process, LevelDB data under .data/dynalite (git-ignored).
  mkdirSync(settings.dataDir, { recursive: true });
  await startChild({
    name: 'dynalite',
    args: [
      '-e',
      `const server = require('dynalite')({ path: process.env.DYNALITE_PATH, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
       server.listen(Number(process.env.DYNALITE_PORT), '${settings.loopback}');
       const stop = () => { server.closeAllConnections?.(); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 5000).unref(); };
       process.on('SIGTERM', stop); process.on('SIGINT', stop);`,
    ],
    env: { DYNALITE_PATH: settings.dataDir, DYNALITE_PORT: String(settings.ddbPort) },
    ready: () => waitFor('dynalite', () => tcpOpen(settings.loopback, settings.ddbPort), 15_000),
  });
  log(`dynalite on ${ddbEndpoint} (data in ${relative(root, settings.dataDir)})`);

  const seeded = await prepareTable();

  // The provider: the CSP simulator with the demo pool; the worker syncs it into the table.
  await startChild({
    name: 'csp-simulator',
    args: [join('apps', 'csp-simulator', 'dist', 'main.js')],
    env: {
      SIM_PORT: String(settings.simPort),
      SIM_HOST: settings.loopback,
      SIM_POOL_SIZE: String(settings.poolSize),
    },
    ready: () =>
      waitFor('csp-simulator', () => tcpOpen(settings.loopback, settings.simPort), 15_000),
  });
  await startChild({
    name: 'broker-worker',
    args: [join('apps', 'broker-worker', 'dist', 'main.js')],
    env: {
      NODE_ENV: process.env.NODE_ENV || 'development',
      WORKER_PORT: String(settings.workerPort),
      DDB_ENDPOINT_URL: ddbEndpoint,
      DDB_TABLE_NAME: settings.tableName,
      AWS_REGION: settings.region,
      CSP_BASE_URL: `${simUrl}/v2`,
      CSP_API_TOKEN: process.env.CSP_API_TOKEN || 'dev-csp-token',
      CLEANUP_INTERVAL_SEC: process.env.CLEANUP_INTERVAL_SEC || '30',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    ready: () =>
      waitFor(
        'broker-worker',
        async () => (await fetch(`${workerUrl}/readyz`)).status === 200,
        30_000,
      ),
  });
  if (!settings.directSeed && settings.poolSize > 0) {
    log("waiting for the worker's first sync of the demo pool…");
    await waitFor('first sync', async () => (await availableCount()) > 0, 30_000);
  }

  const tokenEnv = {};
  const hasTrack = Boolean(
    process.env.BROKER_TRACK_TOKENS?.trim() || process.env.BROKER_API_TOKEN?.trim(),
  );
  const hasAdmin = Boolean(
    process.env.BROKER_ADMIN_TOKENS?.trim() || process.env.BROKER_ADMIN_TOKEN?.trim(),
  );
  const hasViewer = Boolean(
    process.env.BROKER_VIEWER_TOKENS?.trim() || process.env.BROKER_VIEWER_TOKEN?.trim(),
  );
  if (!hasTrack) tokenEnv.BROKER_API_TOKEN = DEV_TOKENS.track;
  if (!hasAdmin) tokenEnv.BROKER_ADMIN_TOKEN = DEV_TOKENS.admin;
  if (!hasViewer) tokenEnv.BROKER_VIEWER_TOKEN = DEV_TOKENS.viewer;

  await startChild({
    name: 'broker-api',
    args: [join('apps', 'broker-api', 'dist', 'main.js')],
    env: {
      NODE_ENV: process.env.NODE_ENV || 'development',
      HOST: settings.apiHost,
      PORT: String(settings.apiPort),
      DDB_ENDPOINT_URL: ddbEndpoint,
      DDB_TABLE_NAME: settings.tableName,
      AWS_REGION: settings.region,
      // No provider settings: POST /v1/admin/sync|cleanup record run requests the worker runs.
      ...tokenEnv,
    },
    ready: () =>
      waitFor('broker-api', async () => (await fetch(`${apiUrl}/readyz`)).status === 200, 30_000),
  });

  log(`broker-api ready on ${apiUrl}`);
  banner({
    root,
    apiUrl,
    workerUrl,
    simUrl,
    ddbEndpoint,
    tableName: settings.tableName,
    dataDir: settings.dataDir,
    logsDir: process.env.START_LOGS === 'inherit' ? null : join(root, '.data', 'logs'),
    pool: settings.directSeed
      ? `${settings.poolSize} sandboxes lab-demo-0001… seeded directly (${seeded.inserted} inserted now, ${seeded.existing} already there)`
      : `${settings.poolSize} sandboxes lab-demo-0001… listed by the simulator, synced by the worker (${await availableCount()} available)`,
    tokens: {
      admin: hasAdmin ? '(from BROKER_ADMIN_TOKEN / BROKER_ADMIN_TOKENS)' : DEV_TOKENS.admin,
      viewer: hasViewer ? '(from BROKER_VIEWER_TOKEN / BROKER_VIEWER_TOKENS)' : DEV_TOKENS.viewer,
      track: hasTrack ? '(from BROKER_API_TOKEN / BROKER_TRACK_TOKENS)' : DEV_TOKENS.track,
    },
    curlToken: hasTrack ? '<track token>' : DEV_TOKENS.track,
  });
}

/** Creates the table if missing and seeds the demo pool through the repository's sync path. */
async function prepareTable() {
  const {
    createDocumentClient,
    ensureTable,
    DynamoSandboxRepository,
  } = require('@broker/dynamo-repo');
  const { DEFAULT_LEASE_POLICY, systemClock } = require('@broker/domain');
  const client = createDocumentClient({ region: settings.region, endpoint: ddbEndpoint });
  try {
    const outcome = await ensureTable(client, settings.tableName);
    log(`table ${settings.tableName}: ${outcome}`);
    const repository = new DynamoSandboxRepository({
      client,
      tableName: settings.tableName,
      clock: systemClock,
      lease: DEFAULT_LEASE_POLICY,
    });
    let inserted = 0;
    let existing = 0;
    if (!settings.directSeed) return { inserted, existing };
    const ids = Array.from({ length: settings.poolSize }, (_, i) => i + 1);
    for (let start = 0; start < ids.length; start += 16) {
      const batch = ids.slice(start, start + 16);
      await Promise.all(
        batch.map(async (i) => {
          const sandbox = demoSandbox(i);
          // Read first: a restart then writes nothing (and never touches used sandboxes).
          if ((await repository.get(sandbox.sandboxId)) !== null) {
            existing += 1;
            return;
          }
          if ((await repository.upsertFromProvider(sandbox)) === 'inserted') inserted += 1;
          else existing += 1;
        }),
      );
    }
    return { inserted, existing };
  } finally {
    client.destroy();
  }
}

/** Available sandboxes in the table (exact count through the status index). */
async function availableCount() {
  const { createDocumentClient, DynamoSandboxRepository } = require('@broker/dynamo-repo');
  const { DEFAULT_LEASE_POLICY, systemClock } = require('@broker/domain');
  const client = createDocumentClient({ region: settings.region, endpoint: ddbEndpoint });
  try {
    const repository = new DynamoSandboxRepository({
      client,
      tableName: settings.tableName,
      clock: systemClock,
      lease: DEFAULT_LEASE_POLICY,
    });
    return (await repository.countByStatus()).available;
  } finally {
    client.destroy();
  }
}

main().catch((error) => {
  if (!stopping) fail(error instanceof Error ? error.message : String(error));
});
