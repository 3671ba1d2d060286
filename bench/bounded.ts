/**
 * Runs `work(0) … work(count - 1)` with at most `concurrency` calls in
 * flight: `concurrency` workers each take the next index as soon as their
 * previous call settles. Rejects with the first failure.
 */
export async function runBounded(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
