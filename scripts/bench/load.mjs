// autocannon scenarios against the API; every request and answer is recorded so the run can be
// verified afterwards (who got which sandbox, which 409s were answered).
import autocannon from 'autocannon';

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
 * answers go to `onAnswer(status, body, request)`.
 */
export async function runScenario({ url, connections, duration, amount, next, onAnswer, label }) {
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
  const result = await instance;
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
  };
}
