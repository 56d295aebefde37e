import { RunTracker, settleWithin } from './run-tracker';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('settleWithin', () => {
  it('returns the value when the promise settles in time, and rethrows its rejection', async () => {
    expect(await settleWithin(Promise.resolve(7), 1_000)).toEqual({ settled: true, value: 7 });
    await expect(settleWithin(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });

  it('answers not settled once the wait is over, leaving the promise running', async () => {
    const pending = deferred<number>();
    expect(await settleWithin(pending.promise, 5)).toEqual({ settled: false });
    pending.resolve(1);
    expect(await pending.promise).toBe(1);
  });
});

describe('RunTracker', () => {
  it('waits for in-flight runs within the grace period without abandoning them', async () => {
    const tracker = new RunTracker();
    const run = deferred<string>();
    void tracker.track(run.promise);
    expect(tracker.size).toBe(1);
    const stopping = tracker.shutdown(5_000);
    expect(tracker.stop.aborted).toBe(true);
    run.resolve('done');
    await stopping;
    expect(tracker.abandon.aborted).toBe(false);
    expect(tracker.size).toBe(0);
  });

  it('abandons runs that outlast the grace period, and never hangs on one that ignores it', async () => {
    const tracker = new RunTracker();
    const abandoned: boolean[] = [];
    void tracker.track(
      new Promise<void>((resolve) =>
        tracker.abandon.addEventListener('abort', () => {
          abandoned.push(true);
          resolve();
        }),
      ),
    );
    void tracker.track(new Promise<void>(() => undefined)); // never settles
    await tracker.shutdown(5, 20);
    expect(abandoned).toEqual([true]);
  });
});
