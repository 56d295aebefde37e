// The class scenario (issue #16): a class of CLASS_SIZE students starts inside its reservation
// window while unreserved load runs on the same pool. Reports the class's p50/p99, how many class
// members got a 409 (must be 0), how many got a sandbox outside the earmarked set, and how many
// outsiders got an earmarked one (must be 0).
import { Ledger, runScenario } from './load.mjs';

export const CLASS_SIZE = 500;
const CLASS_TRACK = 'bench-class';
const OUTSIDE_REQUESTS = 1_500;
const POOL = 3_000;

/**
 * `deps`: { repoLib, jobsLib, endpoint, seed, startApi, adminToken, token, log, pidsOf }.
 * Seeds its own table, books the class through the API, earmarks with the worker's
 * ReservationJob, then runs the class (50 connections) and the outside load (50 connections) at
 * once.
 */
export async function runClassScenario(deps) {
  const { repoLib, jobsLib, endpoint, seed, startApi, adminToken, token, log, pidsOf } = deps;
  const table = `bench-class-${Date.now()}`;
  const { client } = await seed(
    repoLib,
    endpoint,
    table,
    POOL,
    (i) => `cls-${String(i).padStart(6, '0')}`,
  );
  const api = await startApi(endpoint, table);
  try {
    const now = Math.floor(Date.now() / 1000);
    const booked = await fetch(`${api.url}/v1/admin/reservations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        track: CLASS_TRACK,
        count: CLASS_SIZE,
        starts_at: now + 60, // inside the default 60-minute lead: the window is open
        ends_at: now + 3 * 3600,
        name_prefix: 'cls-',
      }),
    });
    if (booked.status !== 201)
      throw new Error(`booking failed: ${booked.status} ${await booked.text()}`);
    const reservation = await booked.json();
    // The worker's side: the reservation job earmarks the class's sandboxes.
    const store = repoLib.createDynamoStore(
      {
        tableName: table,
        region: 'us-east-1',
        lease: { leaseSeconds: 48 * 3600, graceSeconds: 1800 },
      },
      { client },
    );
    const job = new jobsLib.ReservationJob({
      reservations: store.reservationLifecycle,
      clock: { nowMs: () => Date.now() },
    });
    const abort = new AbortController();
    const run = await job.run({
      runId: 'bench',
      owner: 'bench',
      stop: abort.signal,
      abandon: abort.signal,
    });
    const earmarked = new Set(
      await store.reservationLifecycle.earmarked(reservation.reservation_id, CLASS_SIZE + 1),
    );
    log(`class: booked ${CLASS_SIZE}, earmarked ${run.earmarked} (${earmarked.size} listed)`);

    const ledger = new Ledger();
    const classIds = [];
    const outsideIds = [];
    const headers = (student, track) => ({
      authorization: `Bearer ${token}`,
      'x-instruqt-sandbox-id': student,
      'x-instruqt-track-id': track,
      'x-sandbox-name-prefix': 'cls-',
    });
    const scenario = (label, track, amount, ids) =>
      runScenario({
        url: api.url,
        connections: 50,
        amount,
        label,
        pids: pidsOf(api),
        next: (i) => {
          const student = `${label}-${i}`;
          return { student, path: '/v1/allocate', headers: headers(student, track) };
        },
        onAnswer: (status, body, req) => {
          if (status !== 201 && status !== 200) return;
          const id = JSON.parse(body).sandbox_id;
          ledger.record(req.student, id, status);
          ids.push(id);
        },
      });
    const [klass, outside] = await Promise.all([
      scenario('class', CLASS_TRACK, CLASS_SIZE, classIds),
      scenario('outside', 'self-paced', OUTSIDE_REQUESTS, outsideIds),
    ]);
    const after = await (
      await fetch(`${api.url}/v1/admin/reservations/${reservation.reservation_id}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
    ).json();
    await store.dispose();
    const result = {
      class_size: CLASS_SIZE,
      class: strip(klass),
      outside: strip(outside),
      class_409: klass.statuses['409'] ?? 0,
      class_not_earmarked: classIds.filter((id) => !earmarked.has(id)).length,
      outside_got_earmarked: outsideIds.filter((id) => earmarked.has(id)).length,
      double_allocations: ledger.doubleAllocations(),
      reservation_after: {
        held: after.held,
        allocated: after.allocated,
        remaining: after.remaining,
      },
    };
    log(
      `  class: p50 ${klass.p50_ms} p99 ${klass.p99_ms} ms ${JSON.stringify(klass.statuses)}; ` +
        `outside: ${outside.per_s}/s p99 ${outside.p99_ms} ms ${JSON.stringify(outside.statuses)}; ` +
        `class 409s ${result.class_409}, class not earmarked ${result.class_not_earmarked}, ` +
        `outsiders with an earmarked one ${result.outside_got_earmarked}, ` +
        `reservation ${JSON.stringify(result.reservation_after)}`,
    );
    return result;
  } finally {
    await api.stop();
  }
}

function strip(r) {
  const { label: _label, ...rest } = r;
  return rest;
}
