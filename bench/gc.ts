/** V8's collector, when node runs with `--expose-gc` (bench/index.ts starts every benchmark so). */
const exposed = (globalThis as { gc?: () => void }).gc;

/** Whether a full collection can be forced. */
export const canCollect = exposed !== undefined;

/**
 * Forces full collections (several, and a turn of the event loop between
 * them, so finalizers and weak references settle) when `--expose-gc` is on;
 * does nothing otherwise.
 */
export async function collectGarbage(): Promise<void> {
  if (exposed === undefined) return;
  for (let i = 0; i < 3; i += 1) {
    exposed();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  exposed();
}

/** The heap in use after a full collection, in bytes. Throws without `--expose-gc`. */
export async function settledHeap(): Promise<number> {
  if (exposed === undefined) throw new Error('run with node --expose-gc --import tsx (npm run bench does)');
  await collectGarbage();
  return process.memoryUsage().heapUsed;
}
