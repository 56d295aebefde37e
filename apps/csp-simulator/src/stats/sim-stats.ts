import { SIM_OPERATIONS, type SimOperation } from '../faults/faults';

export interface OperationStats {
  total: number;
  /** Answers by HTTP status; `hang` for calls never answered on purpose. */
  byStatus: Record<string, number>;
  /** Most calls seen within any rolling 1-second window. */
  peakPerSecond: number;
}

export interface StatsSnapshot {
  operations: Record<SimOperation, OperationStats>;
  /** DELETE calls per account uuid (any answer, including 404 and injected faults). */
  deletesByAccount: Record<string, number>;
  /** Accounts that got more than one DELETE call. */
  repeatedDeletes: number;
}

interface OpState {
  total: number;
  byStatus: Map<string, number>;
  peak: number;
  /** Arrival times (ms) within the last second, oldest first. */
  window: number[];
  head: number;
}

const WINDOW_MS = 1000;
/** Arrival times kept per operation for `/_sim/calls` (oldest dropped beyond this). */
export const MAX_RECORDED_CALLS = 10_000;

/**
 * Per-operation counters. Calls are counted on arrival (for the rate) and answers by status,
 * so a hung call still shows up in the rate and as `hang`.
 */
export class SimStats {
  private ops = new Map<SimOperation, OpState>();
  private deletes = new Map<string, number>();
  private arrivals = new Map<SimOperation, number[]>();

  constructor(private readonly now: () => number = Date.now) {
    this.reset();
  }

  reset(): void {
    this.ops = new Map(
      SIM_OPERATIONS.map((op) => [
        op,
        { total: 0, byStatus: new Map(), peak: 0, window: [], head: 0 },
      ]),
    );
    this.deletes = new Map();
    this.arrivals = new Map(SIM_OPERATIONS.map((op) => [op, []]));
  }

  arrived(op: SimOperation, accountUuid?: string): void {
    const state = this.state(op);
    state.total++;
    const t = this.now();
    const times = this.arrivals.get(op);
    if (times) {
      times.push(t);
      if (times.length > MAX_RECORDED_CALLS) times.splice(0, times.length - MAX_RECORDED_CALLS);
    }
    state.window.push(t);
    while (state.head < state.window.length && (state.window[state.head] ?? t) <= t - WINDOW_MS) {
      state.head++;
    }
    // Compact now and then so the array does not grow without bound.
    if (state.head > 1024 && state.head * 2 > state.window.length) {
      state.window = state.window.slice(state.head);
      state.head = 0;
    }
    state.peak = Math.max(state.peak, state.window.length - state.head);
    if (op === 'delete' && accountUuid !== undefined) {
      this.deletes.set(accountUuid, (this.deletes.get(accountUuid) ?? 0) + 1);
    }
  }

  answered(op: SimOperation, status: number | 'hang'): void {
    const byStatus = this.state(op).byStatus;
    const key = String(status);
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }

  deletesFor(accountUuid: string): number {
    return this.deletes.get(accountUuid) ?? 0;
  }

  /** Arrival time (epoch ms) of each call of `op`, oldest first (the last 10,000). */
  arrivalsOf(op: SimOperation): number[] {
    return [...(this.arrivals.get(op) ?? [])];
  }

  callsFor(op: SimOperation): number {
    return this.state(op).total;
  }

  snapshot(): StatsSnapshot {
    const operations = {} as Record<SimOperation, OperationStats>;
    for (const op of SIM_OPERATIONS) {
      const s = this.state(op);
      operations[op] = {
        total: s.total,
        byStatus: Object.fromEntries(s.byStatus),
        peakPerSecond: s.peak,
      };
    }
    let repeated = 0;
    for (const n of this.deletes.values()) if (n > 1) repeated++;
    return {
      operations,
      deletesByAccount: Object.fromEntries(this.deletes),
      repeatedDeletes: repeated,
    };
  }

  private state(op: SimOperation): OpState {
    const s = this.ops.get(op);
    if (!s) throw new Error(`unknown operation ${op}`);
    return s;
  }
}

/** Most arrivals within any window of `windowMs` (a sliding window anchored at each arrival). */
export function peakPerWindow(sortedTimes: readonly number[], windowMs = WINDOW_MS): number {
  let peak = 0;
  let head = 0;
  for (let i = 0; i < sortedTimes.length; i++) {
    const t = sortedTimes[i] ?? 0;
    while ((sortedTimes[head] ?? t) <= t - windowMs) head++;
    peak = Math.max(peak, i - head + 1);
  }
  return peak;
}
