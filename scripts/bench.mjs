#!/usr/bin/env node
// `npm run bench`: the allocation benchmark. Builds production bundles, starts dynalite as its own
// process and the API from its production build, seeds pools through the repository, drives the API
// with autocannon on 127.0.0.1 (bounded in time), verifies the outcome and writes
// bench/results/latest.json (+ a dated copy) and a table appended to bench/README.md.
//
// Options: --quick (≈60 s smoke), --connections=50,200, --duration=20 (seconds per scenario),
//          --pool=N (main pool), --profile (API under --cpu-prof, profiles in bench/profiles),
//          --profile-engine (dynalite under --cpu-prof, bench/profiles/engine), --skip-build,
//          --smoke (correctness only, < 1 min, nothing written; meant for `npm test`).
// Each scenario reports CPU ms per request of the API, the engine and the load generator.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  freePort,
  measureEngineCeiling,
  measureRawEngineCeiling,
  startDynalite,
  waitForPort,
} from './bench/engine.mjs';
import { Ledger, runScenario } from './bench/load.mjs';
import { runClassScenario } from './bench/class.mjs';
import { parseArgs } from './bench/args.mjs';

const args = parseArgs();
// --only=ceiling,repeat,prefix,release,scaling,class: allocate always runs, plus these (for quick
// before/after experiments; nothing is written). --api-env=K=V,K=V: extra API environment.
const only = args.only ? new Set(args.only.split(',')) : null;
const wants = (scenario) => only === null || only.has(scenario);
const apiEnv = Object.fromEntries(
  (args['api-env'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
// --smoke: correctness only (for `npm test`): small pool, short scenarios, no ceiling, no scaling,
// nothing written; exits 1 on a double allocation, a student with two sandboxes or a false 409.
const smoke = args.smoke === 'true';
const quick = smoke || args.quick === 'true';
const connectionsList = (args.connections ?? '50,200').split(',').map(Number);
const duration = Number(args.duration ?? (smoke ? 3 : quick ? 5 : 20));
const WARM_UP_REQUESTS = 200;
const PREFIXES = Array.from({ length: 10 }, (_, i) => `bench-p${i}-`);
/**
 * Main pool names: half `bench-any-…`, half spread over the 10 prefixes. Unprefixed allocations
 * take names in index order (`bench-any-` sorts first), like a lab without a prefix that has a
 * pool of its own; prefixed labs keep theirs, so the prefix scenario never runs a prefix dry.
 */
const mainPoolName = (i) => {
  const n = String(Math.floor(i / 2)).padStart(6, '0');
  return i % 2 === 0 ? `bench-any-${n}` : `${PREFIXES[Math.floor(i / 2) % PREFIXES.length]}${n}`;
};
const mainPool = Number(args.pool ?? (smoke ? 8_000 : quick ? 30_000 : 120_000));
const scalingPools = smoke ? [] : quick ? [1_000, 20_000] : [1_000, 100_000];
const token = `bench-track-${randomBytes(8).toString('hex')}`;
const adminToken = `bench-admin-${randomBytes(8).toString('hex')}`;

const running = new Set();
/** Processes whose CPU each scenario reports per request (API added per scenario). */
let enginePid = null;
const pidsOf = (api) => ({ api: api.pid, ...(enginePid ? { engine: enginePid } : {}) });
const log = (msg) =>
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function build() {
  if (args['skip-build'] === 'true') return;
  log('building production bundles (npm run build)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/**
 * Seeds `count` available sandboxes: the rows `upsertFromProvider` inserts (`newAvailableItem`,
 * every index attribute included), written 25 per BatchWriteItem (≈ 10× faster than one
 * conditional write pair per row; the table is new, so nothing is overwritten).
 */
async function seed(repoLib, endpoint, tableName, count, namer) {
  const { createDocumentClient, ensureTable, DynamoSandboxRepository, newAvailableItem } = repoLib;
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  await ensureTable(client, tableName);
  const repo = new DynamoSandboxRepository({
    client,
    tableName,
    clock: { nowMs: () => Date.now() },
    lease: { leaseSeconds: 48 * 3600, graceSeconds: 1800 },
  });
  const now = Math.floor(Date.now() / 1000);
  const itemOf = (i) => {
    const id = String(3_000_000 + i);
    return newAvailableItem(
      {
        sandboxId: id,
        name: namer(i),
        externalId: `identity/accounts/00000000-0000-4000-8000-${id.padStart(12, '0')}`,
        createdAt: 1_760_000_000,
        sfdcAccountId: i % 3 === 0 ? `001SAND${id}` : null,
      },
      now,
    );
  };
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < count) {
      const first = next;
      const end = Math.min(count, first + 25);
      next = end;
      let requests = [];
      for (let i = first; i < end; i += 1) requests.push({ PutRequest: { Item: itemOf(i) } });
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 20) throw new Error('seeding: unprocessed items after 20 attempts');
        const out = await client.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
        );
        requests = out.UnprocessedItems?.[tableName] ?? [];
        if (requests.length > 0) await sleep(10 * (attempt + 1));
      }
      if (Math.floor(first / 20_000) !== Math.floor(end / 20_000) && end < count) {
        log(`  seeded ${end}/${count} into ${tableName}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  log(
    `seeded ${count} sandboxes into ${tableName} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { client, repo };
}

async function startApi(endpoint, tableName) {
  const port = await freePort();
  const nodeArgs = [];
  if (args.profile === 'true') {
    mkdirSync('bench/profiles', { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir=bench/profiles');
  }
  const child = spawn(process.execPath, [...nodeArgs, 'apps/broker-api/dist/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DDB_ENDPOINT_URL: endpoint,
      DDB_TABLE_NAME: tableName,
      AWS_REGION: 'us-east-1',
      BROKER_API_TOKEN: token,
      BROKER_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: args['log-level'] ?? 'info',
      // The benchmark drives thousands of students from one client and one token: keep the
      // limiters (per student, per token, allocations per token) out of the way.
      RATE_LIMIT_PER_SEC: '1000000',
      RATE_LIMIT_BURST: '1000000',
      TOKEN_RATE_LIMIT_PER_SEC: '1000000',
      TOKEN_RATE_LIMIT_BURST: '10000000',
      ALLOCATION_LIMIT_PER_MIN: '1000000',
      ALLOCATION_LIMIT_BURST: '1000000',
      ...apiEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, 30_000);
  for (let i = 0; i < 100; i += 1) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (res?.ok) break;
    await sleep(100);
  }
  const api = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        running.delete(api);
        child.kill('SIGINT');
      }),
  };
  running.add(api);
  return api;
}

/**
 * 409 answers of the main pool. Each is checked right away against the table: if its name prefix
 * ('' = none) still has an available sandbox after the answer, it had one when the answer was
 * given (available rows only decrease during a run), so the 409 was false. Per prefix, not per
 * pool: unprefixed allocations take names in index order and can run a prefix dry.
 */
const conflicts = { false409: 0, true409: 0, codes: {}, checks: [] };
let mainRepo = null;
function recordConflict(prefix, body) {
  const code = problemCode(body);
  const check = mainRepo
    .list({ status: 'available', limit: 1, ...(prefix ? { namePrefix: prefix } : {}) })
    .then((page) => {
      if (page.items.length === 0) {
        conflicts.true409 += 1;
        return;
      }
      conflicts.false409 += 1;
      conflicts.codes[code] = (conflicts.codes[code] ?? 0) + 1;
    });
  conflicts.checks.push(check);
}

function problemCode(body) {
  try {
    return String(JSON.parse(body).code ?? 'no code');
  } catch {
    return 'not json';
  }
}

const headersFor = (student, prefix) => ({
  authorization: `Bearer ${token}`,
  'x-instruqt-sandbox-id': student,
  'x-instruqt-track-id': 'bench-lab',
  ...(prefix ? { 'x-sandbox-name-prefix': prefix } : {}),
});

function allocationScenario(
  api,
  ledger,
  connections,
  label,
  { prefixed = false, amount, mainPool = true } = {},
) {
  const students = [];
  return runScenario({
    url: api.url,
    connections,
    duration,
    amount,
    label,
    pids: pidsOf(api),
    next: (i) => {
      const student = `${label}-student-${i}`;
      const prefix = prefixed ? PREFIXES[i % PREFIXES.length] : undefined;
      return { student, path: '/v1/allocate', headers: headersFor(student, prefix) };
    },
    onAnswer: (status, body, req) => {
      if (status === 201 || status === 200) {
        const sandbox = JSON.parse(body);
        ledger.record(req.student, sandbox.sandbox_id, status);
        students.push(req.student);
      } else if (status === 409) {
        if (mainPool) recordConflict(req.headers['x-sandbox-name-prefix'] ?? '', body);
        if (process.env.BENCH_DEBUG_409)
          process.stderr.write(`409 ${req.headers['x-sandbox-name-prefix'] ?? ''} ${body}\n`);
      }
    },
  }).then((r) => ({ ...r, students }));
}

/**
 * A fresh API process runs its first few hundred requests several times slower (JIT, lazily
 * loaded SDK modules, first-use caches): 200 allocations at 10 connections before any measured
 * scenario, so the numbers describe the steady state. They count for the correctness checks.
 */
async function warmUp(api, ledger, label, mainPool = true) {
  await allocationScenario(api, ledger, 10, label, { amount: WARM_UP_REQUESTS, mainPool });
}

async function countAvailable(repo) {
  const counts = await repo.countByStatus();
  return counts.available;
}

async function verify(client, tableName, ledger) {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const owners = new Map();
  let mismatched = 0;
  let key;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ExclusiveStartKey: key,
        ProjectionExpression: 'PK, sandbox_id, owner_id',
      }),
    );
    for (const item of page.Items ?? []) {
      if (!String(item.PK).startsWith('SBX#') || !item.owner_id) continue;
      owners.set(item.owner_id, (owners.get(item.owner_id) ?? 0) + 1);
      const holders = ledger.sandboxToStudents.get(item.sandbox_id);
      if (holders && !holders.has(item.owner_id)) mismatched += 1;
    }
    key = page.LastEvaluatedKey;
  } while (key);
  let studentsWithTwo = 0;
  for (const n of owners.values()) if (n > 1) studentsWithTwo += 1;
  return { studentsWithTwo, mismatched };
}

async function main() {
  const started = Date.now();
  build();
  const repoLib = await import('@broker/dynamo-repo');
  const engine = await startDynalite(
    args['profile-engine'] === 'true'
      ? {
          nodeArgs: ['--cpu-prof', '--cpu-prof-dir=bench/profiles/engine'],
        }
      : {},
  );
  enginePid = engine.pid;
  log(`dynalite at ${engine.endpoint} (pid ${engine.pid})`);
  const results = {
    date: new Date().toISOString(),
    quick,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model,
    node: process.version,
    versions: {},
    scenarios: {},
  };
  for (const pkg of [
    '@nestjs/core',
    '@aws-sdk/client-dynamodb',
    'fastify',
    'dynalite',
    'autocannon',
  ]) {
    const path = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    results.versions[pkg] = JSON.parse(readFileSync(path, 'utf8')).version;
  }
  try {
    const mainTable = `bench-main-${Date.now()}`;
    const { client, repo } = await seed(
      repoLib,
      engine.endpoint,
      mainTable,
      mainPool,
      mainPoolName,
    );
    mainRepo = repo;

    const ceilingRun = {
      endpoint: engine.endpoint,
      tableName: mainTable,
      connections: connectionsList[0],
      seconds: quick ? 3 : 10,
    };
    if (!smoke && wants('ceiling')) {
      log('engine ceiling: conditional UpdateItem/s from a plain SDK client');
      results.engine_ceiling_per_s = await measureEngineCeiling(ceilingRun);
      // The same writes without an SDK: the engine's own limit on this machine (for reference).
      results.engine_raw_ceiling_per_s = await measureRawEngineCeiling(ceilingRun);
      log(
        `  engine ceiling ${results.engine_ceiling_per_s}/s at ${connectionsList[0]} in flight ` +
          `(no SDK: ${results.engine_raw_ceiling_per_s}/s)`,
      );
    }

    const api = await startApi(engine.endpoint, mainTable);
    const ledger = new Ledger();
    await warmUp(api, ledger, 'warm-main');
    let firstStudents = [];
    for (const c of connectionsList) {
      log(`allocate: unique students, ${c} connections, ${duration} s`);
      const r = await allocationScenario(api, ledger, c, `alloc-c${c}`);
      if (firstStudents.length === 0) firstStudents = r.students;
      results.scenarios[`alloc_c${c}`] = strip(r);
      log(
        `  ${r.per_s}/s p50 ${r.p50_ms} p95 ${r.p95_ms} p99 ${r.p99_ms} max ${r.max_ms} ms ` +
          `${JSON.stringify(r.statuses)}${cpuText(r)}`,
      );
    }

    const c0 = connectionsList[0];
    if (wants('repeat')) {
      log(`repeat: the same ${firstStudents.length} students again, ${c0} connections`);
      const repeat = await runScenario({
        url: api.url,
        connections: c0,
        duration: Math.min(duration, 10),
        label: 'repeat',
        pids: pidsOf(api),
        next: (i) => {
          const student = firstStudents[i % firstStudents.length];
          return { student, path: '/v1/allocate', headers: headersFor(student) };
        },
        onAnswer: (status, body, req) => {
          if (status === 200 || status === 201)
            ledger.record(req.student, JSON.parse(body).sandbox_id, status);
        },
      });
      results.scenarios.repeat_c50 = strip(repeat);
      log(
        `  ${repeat.per_s}/s p99 ${repeat.p99_ms} ms ${JSON.stringify(repeat.statuses)}${cpuText(repeat)}`,
      );
    }

    if (wants('prefix')) {
      log(`prefix: ${PREFIXES.length} name prefixes, ${c0} connections`);
      const prefix = await allocationScenario(api, ledger, c0, 'prefix', { prefixed: true });
      results.scenarios.prefix_c50 = strip(prefix);
      log(
        `  ${prefix.per_s}/s p99 ${prefix.p99_ms} ms ${JSON.stringify(prefix.statuses)}${cpuText(prefix)}`,
      );
    }

    if (wants('release')) {
      const held = [...ledger.studentToSandbox.entries()];
      log(`release: mark-for-deletion for ${held.length} allocations`);
      const release = await runScenario({
        url: api.url,
        connections: c0,
        amount: held.length,
        label: 'release',
        pids: pidsOf(api),
        next: (i) => {
          const [student, sandboxId] = held[i % held.length];
          return {
            student,
            path: `/v1/sandboxes/${sandboxId}/mark-for-deletion`,
            headers: headersFor(student),
          };
        },
      });
      results.scenarios.release_c50 = strip(release);
      log(
        `  ${release.per_s}/s p99 ${release.p99_ms} ms ${JSON.stringify(release.statuses)}${cpuText(release)}`,
      );
    }
    await api.stop();

    const remaining = await countAvailable(repo);
    if (remaining === 0) log('WARNING: the main pool ran out; raise --pool (409s may be genuine)');
    log('verification: scanning the table');
    const check = await verify(client, mainTable, ledger);
    results.double_allocations = ledger.doubleAllocations() + check.mismatched;
    results.students_with_two = check.studentsWithTwo + ledger.repeatMismatches;
    await Promise.all(conflicts.checks);
    results.false_409 = conflicts.false409;
    results.false_409_codes = conflicts.codes;
    // 409s for a prefix that had run out (genuine "no sandboxes"; expected only on small pools).
    results.true_409 = conflicts.true409;

    for (const size of wants('scaling') ? scalingPools : []) {
      const table = `bench-scale-${size}-${Date.now()}`;
      await seed(
        repoLib,
        engine.endpoint,
        table,
        size,
        (i) => `scale-${String(i).padStart(7, '0')}`,
      );
      const scaleApi = await startApi(engine.endpoint, table);
      const scaleLedger = new Ledger();
      await warmUp(scaleApi, scaleLedger, `warm-${size}`, false);
      const r = await allocationScenario(scaleApi, scaleLedger, 10, `scale-${size}`, {
        amount: Math.min(800, size / 2),
        mainPool: false,
      });
      await scaleApi.stop();
      results.scenarios[`scaling_${size}`] = strip(r);
      log(`  pool ${size}: p50 ${r.p50_ms} p99 ${r.p99_ms} ms (${r.per_s}/s)`);
    }

    if (!smoke && wants('class')) {
      log('class: a 500-student class inside its reservation window, unreserved load alongside');
      const jobsLib = await import('@broker/jobs');
      results.scenarios.class = await runClassScenario({
        repoLib,
        jobsLib,
        endpoint: engine.endpoint,
        seed,
        startApi,
        adminToken,
        token,
        log,
        pidsOf,
      });
      if (results.scenarios.class.double_allocations > 0) results.double_allocations += 1;
    }

    Object.assign(results, {
      class_p50_ms: results.scenarios.class?.class.p50_ms,
      class_p99_ms: results.scenarios.class?.class.p99_ms,
      class_409: results.scenarios.class?.class_409,
      alloc_per_s_c50: results.scenarios.alloc_c50?.per_s,
      alloc_to_ceiling_c50:
        results.scenarios.alloc_c50 && results.engine_ceiling_per_s
          ? Math.round((results.scenarios.alloc_c50.per_s / results.engine_ceiling_per_s) * 100) /
            100
          : undefined,
      alloc_p99_ms_c50: results.scenarios.alloc_c50?.p99_ms,
      alloc_per_s_c200: results.scenarios.alloc_c200?.per_s,
      alloc_p99_ms_c200: results.scenarios.alloc_c200?.p99_ms,
      repeat_per_s_c50: results.scenarios.repeat_c50?.per_s,
      prefix_alloc_per_s_c50: results.scenarios.prefix_c50?.per_s,
      scaling_p50_ms_1k: results.scenarios[`scaling_${scalingPools[0]}`]?.p50_ms,
      scaling_p50_ms_100k: results.scenarios[`scaling_${scalingPools[1]}`]?.p50_ms,
      scaling_large_pool: scalingPools[1],
      duration_s: Math.round((Date.now() - started) / 1000),
    });
    if (smoke || only !== null) {
      log(
        `smoke: double ${results.double_allocations}, students with two ` +
          `${results.students_with_two}, false 409 ${results.false_409} ` +
          `${JSON.stringify(results.false_409_codes)}, 409 after a prefix ran out ${results.true_409}`,
      );
    } else {
      write(results);
    }
  } finally {
    // Never leave an API process behind, even when a scenario throws.
    for (const api of [...running]) await api.stop();
    await engine.stop();
  }
  const failedCorrectness =
    results.double_allocations > 0 ||
    results.students_with_two > 0 ||
    (smoke && results.false_409 > 0);
  process.exit(failedCorrectness ? 1 : 0);
}

/** Inserts the row at the end of the results table (the first table whose header is `| date`). */
function addResultRow(file, row) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('| date'));
  if (header === -1) {
    appendFileSync(file, `${row}\n`);
    return;
  }
  let end = header;
  while (end + 1 < lines.length && lines[end + 1]?.startsWith('|')) end += 1;
  lines.splice(end + 1, 0, row);
  writeFileSync(file, lines.join('\n'));
}

function cpuText(r) {
  return ` cpu ms/req ${JSON.stringify(r.cpu_ms_per_request ?? {})}`;
}

function strip(r) {
  const { students: _s, ...rest } = r;
  return rest;
}

function write(results) {
  mkdirSync('bench/results', { recursive: true });
  const json = JSON.stringify(results, null, 2);
  writeFileSync('bench/results/latest.json', json);
  writeFileSync(`bench/results/${results.date.replace(/[:.]/g, '-')}.json`, json);
  const row = [
    results.date.slice(0, 16),
    results.quick ? 'quick' : 'full',
    results.engine_ceiling_per_s,
    results.alloc_per_s_c50,
    results.alloc_p99_ms_c50,
    results.alloc_per_s_c200,
    results.alloc_p99_ms_c200,
    results.repeat_per_s_c50,
    results.prefix_alloc_per_s_c50,
    results.scaling_p50_ms_1k,
    results.scaling_p50_ms_100k,
    results.double_allocations,
    results.students_with_two,
    results.false_409,
  ];
  addResultRow('bench/README.md', `| ${row.join(' | ')} |`);
  // Keep the table aligned, or `npm test`'s format check fails after a bench run.
  spawnSync('npx', ['prettier', '--write', '--log-level', 'warn', 'bench/README.md'], {
    stdio: 'inherit',
  });
  log(`results: bench/results/latest.json\n${json}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
