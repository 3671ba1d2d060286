/**
 * Heap per waiting post: 10,000 image posts scheduled hours ahead on a
 * virtual clock that never moves, so each is stored and parked and nothing
 * fires. Once all are parked, a forced GC, then `heapUsed` minus a baseline
 * taken right before publishing (engine already created), over 10,000.
 * The memory and file stores run separately, alternating per round.
 *
 * The memory store keeps every envelope in this heap, so its figure is the
 * engine plus the store; the file store keeps nothing in memory, so its
 * figure is the engine's own cost. To split the memory store's figure, the
 * heap is measured again after the engine is shut down and dropped (the
 * store kept): what is left is the store's share.
 *
 * Needs `--expose-gc`: `node --expose-gc --import tsx bench/heap.ts`.
 */
import { fileStore } from '../src/adapters/file-store.js';
import { memoryStore } from '../src/adapters/memory-store.js';
import type { Store } from '../src/adapters/store.js';
import type { Engine } from '../src/engine/engine.js';
import { VirtualClock } from '../src/time/virtual-clock.js';
import { settledHeap } from './gc.js';
import { parkScheduled, scheduledEngine } from './park-scheduled.js';
import { rounds, scaled } from './settings.js';
import { countsBetween } from './sim-messages.js';
import { startSimProcess } from './sim-process.js';
import { fmt, median, rotated, times } from './stats.js';
import { reportSummary } from './summary.js';
import { printTable } from './table.js';
import { tempDir } from './temp-dir.js';
import { measure } from './timing.js';

const POSTS = scaled(10_000);
const WARM_UP_POSTS = Math.min(500, POSTS);
/** The target: at most 4 KiB of heap per waiting post. */
const TARGET_BYTES = 4 * 1024;

type StoreKey = 'memory' | 'file';

interface HeapRun {
  /** Heap per waiting post, engine and store together. */
  readonly perPost: number;
  /** Heap per post still held once the engine is shut down and dropped (the store's share). */
  readonly afterShutdown: number;
  readonly fillMs: number;
}

/** A fresh store of `key`, and the function that disposes of it. */
async function freshStore(key: StoreKey): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (key === 'memory') return { store: memoryStore(), dispose: () => Promise.resolve() };
  const temp = await tempDir('heap');
  return { store: fileStore(temp.dir), dispose: temp.remove };
}

/** Parks `posts` posts in a fresh engine over a fresh store and measures the heap they hold. */
async function measureHeap(key: StoreKey, baseUrl: string, posts: number, tag: string): Promise<HeapRun> {
  const { store, dispose } = await freshStore(key);
  try {
    const clock = new VirtualClock();
    let engine: Engine | undefined = scheduledEngine(store, clock, baseUrl);
    const baseline = await settledHeap();
    const fill = await measure(() => parkScheduled(engine!, clock, posts, tag));
    const parked = await settledHeap();
    await engine.shutdown();
    engine = undefined;
    const left = await settledHeap();
    return { perPost: (parked - baseline) / posts, afterShutdown: (left - baseline) / posts, fillMs: fill.wallMs };
  } finally {
    await dispose();
  }
}

console.log(`# heap: ${fmt(POSTS)} posts waiting on their schedule, ${rounds} rounds (+1 warm-up), forced GC`);
const sim = await startSimProcess();
try {
  const before = await sim.counts();
  for (const key of ['memory', 'file'] as const) await measureHeap(key, sim.url, WARM_UP_POSTS, `warm-${key}`);

  const runs: Record<StoreKey, HeapRun[]> = { memory: [], file: [] };
  const perRound: string[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = rotated(['memory', 'file'] as const, round);
    for (const key of order) runs[key].push(await measureHeap(key, sim.url, POSTS, `r${round}-${key}`));
    const [memory, file] = [runs.memory[round]!, runs.file[round]!];
    perRound.push([String(round + 1), order.join(' → '), fmt(memory.perPost), fmt(memory.afterShutdown), fmt(file.perPost), fmt(file.afterShutdown), times(file.perPost / memory.perPost)]);
  }
  const requests = countsBetween(before, await sim.counts()).totalRequests;
  if (requests !== 0) throw new Error(`the waiting posts made ${requests} HTTP requests; none were expected`);

  printTable('Per round: heap bytes per waiting post', ['round', 'order', 'memory: total', 'memory: after shutdown', 'file: total', 'file: after shutdown', 'file/memory'], perRound);

  const med = (key: StoreKey, pick: (run: HeapRun) => number) => median(runs[key].map(pick));
  printTable(
    `Heap per waiting post, bytes, median of ${rounds} rounds (target ≤ ${fmt(TARGET_BYTES)} B)`,
    ['store', 'total', 'store share (left after engine shutdown)', 'engine share', 'total ÷ target', 'engine ÷ target', 'fill ms/post'],
    (['file', 'memory'] as const).map((key) => {
      const total = med(key, (r) => r.perPost);
      const storeShare = med(key, (r) => r.afterShutdown);
      const engineShare = med(key, (r) => r.perPost - r.afterShutdown);
      return [key === 'file' ? 'file store' : 'memory store', fmt(total), fmt(storeShare), fmt(engineShare), times(total / TARGET_BYTES), times(engineShare / TARGET_BYTES), fmt(med(key, (r) => r.fillMs) / POSTS, 3)];
    }),
  );

  const file = med('file', (r) => r.perPost);
  const memory = med('memory', (r) => r.perPost);
  const memoryEngine = med('memory', (r) => r.perPost - r.afterShutdown);
  console.log(`\nengine's own cost (file store) = ${fmt(file)} B per waiting post (target ≤ ${fmt(TARGET_BYTES)} B): ${file <= TARGET_BYTES ? 'met' : 'MISSED'}`);
  await reportSummary([
    { bench: 'heap', figure: 'heap per waiting post, file store (engine only)', value: `${fmt(file)} B (${times(file / TARGET_BYTES)} target)`, target: `≤ ${fmt(TARGET_BYTES)} B`, met: file <= TARGET_BYTES },
    { bench: 'heap', figure: 'heap per waiting post, memory store (engine + envelopes)', value: `${fmt(memory)} B (engine share ${fmt(memoryEngine)} B)`, target: '-', met: undefined },
  ]);
} finally {
  await sim.close();
}
