// autocannon scenarios against the API; every request and answer is recorded so the run can be
// verified afterwards (who got which sandbox, which 409s were answered).
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

/** CPU time (user + system, ms) a process has used so far, from /proc; null elsewhere. */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based) in clock ticks (100 Hz on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function cpuSnapshot(pids) {
  const own = process.cpuUsage();
  const snapshot = { loadgen: (own.user + own.system) / 1000 };
  for (const [name, pid] of Object.entries(pids ?? {})) snapshot[name] = processCpuMs(pid);
  return snapshot;
}

/** CPU ms per answered request for each process (API, engine, load generator). */
function cpuPerRequest(before, after, requests) {
  const out = {};
  for (const [name, value] of Object.entries(after)) {
    const start = before[name];
    if (value === null || start === null || start === undefined || requests === 0) continue;
    out[name] = Math.round(((value - start) / requests) * 1000) / 1000;
  }
  return out;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

/** Shared record of every allocation answer across scenarios. */
export class Ledger {
  constructor() {
    this.sandboxToStudents = new Map();
    this.studentToSandbox = new Map();
    this.repeatMismatches = 0;
  }

  record(student, sandboxId, status) {
    const holders = this.sandboxToStudents.get(sandboxId) ?? new Set();
    holders.add(student);
    this.sandboxToStudents.set(sandboxId, holders);
    const known = this.studentToSandbox.get(student);
    if (known && known !== sandboxId) this.repeatMismatches += 1;
    if (!known) this.studentToSandbox.set(student, sandboxId);
    return status;
  }

  doubleAllocations() {
    let n = 0;
    for (const holders of this.sandboxToStudents.values()) if (holders.size > 1) n += 1;
    return n;
  }
}

/**
 * Run one autocannon scenario. `next(i)` returns {student, path, headers} for the i-th request;
 * answers go to `onAnswer(status, body, request)`. `pids` ({api, engine}) adds CPU per request.
 */
export async function runScenario({
  url,
  connections,
  duration,
  amount,
  next,
  onAnswer,
  label,
  pids,
}) {
  let counter = 0;
  const latencies = [];
  const statuses = {};
  const instance = autocannon({
    url,
    connections,
    // autocannon rejects an explicit undefined: pass either a duration or an amount.
    ...(amount ? { amount } : { duration }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, context) => {
          const r = next(counter++);
          context.request = r;
          return { ...req, method: r.method ?? 'POST', path: r.path, headers: r.headers };
        },
        onResponse: (status, body, context) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          onAnswer?.(status, body, context.request);
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const progress = setInterval(() => {
    process.stdout.write(`  … ${label}: ${latencies.length} answers\n`);
  }, 5000);
  const cpuBefore = cpuSnapshot(pids);
  const result = await instance;
  const cpuAfter = cpuSnapshot(pids);
  clearInterval(progress);
  latencies.sort((a, b) => a - b);
  const seconds = (result.finish - result.start) / 1000 || result.duration;
  return {
    label,
    connections,
    requests: latencies.length,
    per_s: Math.round(latencies.length / seconds),
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    p99_ms: percentile(latencies, 99),
    max_ms: latencies.at(-1) ?? 0,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    // 100 Hz process clock: meaningful over hundreds of requests, not a handful.
    cpu_ms_per_request: cpuPerRequest(cpuBefore, cpuAfter, latencies.length),
  };
}
