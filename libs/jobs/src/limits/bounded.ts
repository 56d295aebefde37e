import pLimit from 'p-limit';

/**
 * Runs `work` over `items` with at most `concurrency` in flight, in order of `items` (p-limit,
 * the one concurrency limiter of the repository); stops handing out items once `shouldStop`
 * says so. `work` must not throw (errors are its to report).
 */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const limit = pLimit(Math.max(1, concurrency));
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (!shouldStop()) await work(item);
      }),
    ),
  );
}
