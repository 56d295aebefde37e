import { setTimeout as sleep } from 'node:timers/promises';

export type Settled<T> =
  { readonly settled: true; readonly value: T } | { readonly settled: false };

/**
 * Waits at most `ms` for `promise`: `{ settled: true, value }` when it resolved in time, else
 * `{ settled: false }` (the promise keeps going). A rejection within the wait is rethrown. The
 * timer never outlives the wait and never keeps the process alive.
 */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  const timer = new AbortController();
  const timeout = sleep(Math.max(0, ms), undefined, { signal: timer.signal, ref: false }).then(
    () => ({ settled: false }) as const,
    () => ({ settled: false }) as const,
  );
  try {
    return await Promise.race([
      promise.then((value) => ({ settled: true, value }) as const),
      timeout,
    ]);
  } finally {
    timer.abort();
  }
}

/**
 * The runs one process has in flight (scheduled runs, picked-up run requests), with the signals
 * they watch: `stop` (take no new work) and `abandon` (give up in-flight work now, leaving it safe
 * for a later run). `shutdown` stops, waits up to the grace period, then abandons.
 */
export class RunTracker {
  private readonly stopController = new AbortController();
  private readonly abandonController = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  get stop(): AbortSignal {
    return this.stopController.signal;
  }

  get abandon(): AbortSignal {
    return this.abandonController.signal;
  }

  get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Tracks `run` until it settles; returns it unchanged. */
  track<T>(run: Promise<T>): Promise<T> {
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  /** Resolves when every tracked run has settled (runs tracked meanwhile included). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Stop taking work, give in-flight runs `graceMs`, then abandon them and give the hand-backs
   * (single writes) up to `abandonGraceMs` more: a shutdown never hangs.
   */
  async shutdown(graceMs: number, abandonGraceMs = 5_000): Promise<void> {
    this.stopController.abort();
    if (this.inFlight.size === 0) return;
    const settled = Promise.allSettled([...this.inFlight]);
    if ((await settleWithin(settled, graceMs)).settled) return;
    this.abandonController.abort();
    await settleWithin(settled, abandonGraceMs);
  }
}
