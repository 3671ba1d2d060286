/**
 * Runs `work` on every item with at most `limit` calls in flight at once
 * (reading 10,000 files concurrently would exhaust file descriptors; one by
 * one would be slow). Resolves when all are done; rejects on the first failure.
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
