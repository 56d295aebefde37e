#!/usr/bin/env node
// Measures the console against a large pool (the README's figure; not a test): seeds dynalite
// directly with N sandboxes and M events, starts the API's production build serving the built
// console, allocates a few hundred sandboxes through the API, then drives Debian's Chromium and
// prints the time to the first complete paint and per refresh, with the API calls each makes.
//
//   node apps/broker-console/scripts/measure.mjs [--sandboxes=100000] [--events=100000]
//        [--allocations=300] [--refreshes=5] [--skip-build]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, startDynalite, waitForPort } from '../../../scripts/bench/engine.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const SANDBOXES = Number(args.sandboxes ?? 100_000);
const EVENTS = Number(args.events ?? 100_000);
const ALLOCATIONS = Number(args.allocations ?? 300);
const REFRESHES = Number(args.refreshes ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ADMIN = 'measure-admin-token-0001';
const TRACK = 'measure-track-token-0001';
const TABLE = 'sandbox-broker';
const log = (m) =>
  process.stdout.write(`[measure ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const cleanups = [];

async function main() {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  if (args['skip-build'] !== 'true') {
    log('building (npm run build)');
    if (
      spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0
    ) {
      throw new Error('build failed');
    }
  }
  const engine = await startDynalite();
  cleanups.push(() => engine.stop());
  await seed(engine.endpoint);
  const api = await startApi(engine.endpoint);
  cleanups.push(api.stop);
  await allocate(api.url);
  const figures = await drive(api.url);
  print(figures);
}

/** BatchWriteItem, 25 a call, 4 in flight, retrying unprocessed items (bounded). */
async function writeAll(client, count, itemOf, what) {
  const { BatchWriteCommand } = require('@aws-sdk/lib-dynamodb');
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < count) {
      const first = next;
      next = Math.min(count, first + 25);
      let requests = [];
      for (let i = first; i < next; i += 1) requests.push({ PutRequest: { Item: itemOf(i) } });
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 20) throw new Error(`${what}: unprocessed items after 20 attempts`);
        const out = await client.send(
          new BatchWriteCommand({ RequestItems: { [TABLE]: requests } }),
        );
        requests = out.UnprocessedItems?.[TABLE] ?? [];
        if (requests.length > 0) await sleep(10 * (attempt + 1));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  log(`seeded ${count} ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function seed(endpoint) {
  const repo = require('@broker/dynamo-repo');
  const { newEventId } = require('@broker/domain');
  const client = repo.createDocumentClient({ region: 'us-east-1', endpoint });
  try {
    await repo.ensureTable(client, TABLE);
    const nowS = Math.floor(Date.now() / 1000);
    const idOf = (i) => String(4_000_000 + i);
    // Ten name prefixes, so the by-prefix table has rows.
    const nameOf = (i) => `lab-p${i % 10}-${String(i).padStart(6, '0')}`;
    await writeAll(
      client,
      SANDBOXES,
      (i) =>
        repo.newAvailableItem(
          {
            sandboxId: idOf(i),
            name: nameOf(i),
            externalId: `identity/accounts/00000000-0000-4000-8000-${idOf(i).padStart(12, '0')}`,
            createdAt: 1_760_000_000,
            sfdcAccountId: null,
          },
          nowS,
        ),
      'sandboxes',
    );
    const weekMs = 7 * 24 * 3600 * 1000;
    await writeAll(
      client,
      EVENTS,
      (i) => {
        const atMs = Date.now() - Math.floor((i / EVENTS) * weekMs);
        return repo.toEventItem(
          {
            eventId: newEventId(atMs),
            atMs,
            type: 'transition',
            sandboxId: idOf(i % SANDBOXES),
            to: 'available',
            actor: { kind: 'job', id: 'sync' },
            action: 'sync_insert',
          },
          30 * 24 * 3600,
        );
      },
      'events',
    );
  } finally {
    client.destroy();
  }
}

async function startApi(endpoint) {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/broker-api/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DDB_ENDPOINT_URL: endpoint,
      DDB_TABLE_NAME: TABLE,
      AWS_REGION: 'us-east-1',
      BROKER_ADMIN_TOKEN: ADMIN,
      BROKER_API_TOKEN: TRACK,
      LOG_LEVEL: 'warn',
      TOKEN_RATE_LIMIT_PER_SEC: '1000000',
      TOKEN_RATE_LIMIT_BURST: '1000000',
      ALLOCATION_LIMIT_PER_MIN: '1000000',
      ALLOCATION_LIMIT_BURST: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, 30_000);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await fetch(`${url}/readyz`).catch(() => null))?.ok; i += 1)
    await sleep(100);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { url, stop };
}

async function allocate(url) {
  const started = Date.now();
  for (let i = 0; i < ALLOCATIONS; i += 1) {
    const res = await fetch(`${url}/v1/allocate`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${TRACK}`,
        'X-Instruqt-Sandbox-ID': `measure-student-${i}`,
        'X-Instruqt-Track-ID': `track-${i % 7}`,
        'X-Sandbox-Name-Prefix': `lab-p${i % 10}-`,
      },
      signal: AbortSignal.timeout(15_000),
    });
    if (res.status !== 201) throw new Error(`allocate: ${res.status} ${await res.text()}`);
  }
  log(
    `allocated ${ALLOCATIONS} through the API in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await sleep(3000); // the event buffer flushes (hourly counters)
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function drive(url) {
  const { chromium } = require('playwright-core');
  const asRoot = process.getuid?.() === 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: asRoot ? ['--no-sandbox'] : [],
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(60_000);
  // Every API call the page makes: path, start, end (ms).
  const calls = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/v1/')) calls.push({ request, path, start: Date.now(), end: null });
  });
  const finished = (request) => {
    const call = calls.find((c) => c.request === request);
    if (call) call.end = Date.now();
  };
  page.on('requestfinished', finished);
  page.on('requestfailed', finished);
  /** The calls started since `since`, once all have answered and none started for 400 ms. */
  const settle = async (since) => {
    for (let i = 0; i < 1200; i += 1) {
      const mine = calls.filter((c) => c.start >= since);
      const last = Math.max(0, ...mine.map((c) => c.end ?? Infinity));
      if (mine.length > 0 && last !== Infinity && Date.now() - last > 400) return mine;
      await sleep(50);
    }
    throw new Error('calls did not settle within 60 s');
  };
  const lastEnd = (mine) => Math.max(...mine.map((c) => c.end));

  await page.goto(`${url}/console/`);
  await page.fill('#token', ADMIN);
  await page.click('button[type=submit]');
  await page.getByTestId('role').waitFor();

  const figures = {};
  const measure = async (name, path, ready) => {
    const t0 = Date.now();
    await page.goto(`${url}${path}`);
    await ready();
    const painted = Date.now() - t0;
    const first = await settle(t0);
    const refreshes = [];
    for (let i = 0; i < REFRESHES; i += 1) {
      await sleep(500);
      const t = Date.now();
      await page.getByTestId('refresh').click();
      const mine = await settle(t);
      refreshes.push({ ms: lastEnd(mine) - t, calls: mine.length });
    }
    figures[name] = {
      first_paint_ms: painted,
      first_paint_calls: first.length,
      refresh_ms_median: median(refreshes.map((r) => r.ms)),
      refresh_ms_max: Math.max(...refreshes.map((r) => r.ms)),
      calls_per_refresh: median(refreshes.map((r) => r.calls)),
    };
    log(`${name}: ${JSON.stringify(figures[name])}`);
  };
  const charts = ['chart-status', 'chart-allocations', 'chart-tracks', 'chart-cleanup'];
  await measure('overview', '/console/', async () => {
    await page.getByTestId('count-total').waitFor();
    for (const id of charts) await page.getByTestId(id).waitFor();
  });
  const stats = await page.getByTestId('count-total').textContent();
  await measure('sandboxes', '/console/sandboxes?status=allocated', () =>
    page.locator('tr[data-sandbox-id]').first().waitFor(),
  );
  const id = await page.locator('tr[data-sandbox-id]').first().getAttribute('data-sandbox-id');
  await measure('sandbox', `/console/sandboxes/${id}`, () =>
    page.locator('[data-testid=event-table] tbody tr').first().waitFor(),
  );
  await measure('jobs', '/console/jobs', () => page.getByTestId('runs-cleanup').waitFor());

  // Auto-refresh: the overview left alone for 40 s (past the API's 10 s stats cache). Each query
  // keeps its own 5 s timer, so calls are reported per endpoint rather than grouped into cycles.
  await page.goto(`${url}/console/`);
  await page.getByTestId('chart-allocations').waitFor();
  await settle(0);
  mkdirSync(join(root, 'tmp', 'console-screenshots'), { recursive: true });
  await page.screenshot({ path: join(root, 'tmp', 'console-screenshots', 'measure-overview.png') });
  const watchFrom = Date.now();
  await sleep(40_000);
  const watched = calls.filter((c) => c.start >= watchFrom && c.end !== null);
  const byPath = {};
  for (const call of watched) (byPath[call.path] ??= []).push(call.end - call.start);
  figures.auto_refresh_overview_40s = {
    calls: watched.length,
    calls_per_5_s: Number((watched.length / 8).toFixed(1)),
    per_endpoint: Object.fromEntries(
      Object.entries(byPath).map(([path, ms]) => [
        path,
        { calls: ms.length, ms_median: median(ms), ms_max: Math.max(...ms) },
      ]),
    ),
  };
  figures.pool = {
    total_shown: Number(stats),
    sandboxes: SANDBOXES,
    events: EVENTS,
    allocations: ALLOCATIONS,
  };
  return figures;
}

function print(figures) {
  process.stdout.write(`\n${JSON.stringify(figures, null, 2)}\n`);
}

main()
  .catch((error) => {
    process.stderr.write(`[measure] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
  });
