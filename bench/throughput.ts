/**
 * Throughput: 1,000 image posts against one simulator with no processing
 * delay, through (a) the engine with the file store, (b) the engine with
 * the memory store and (c) a plain undici loop making the same three calls
 * per post with nothing stored. Every variant keeps 50 posts in flight
 * (the engine: 50 workers, each awaiting `publish` and then `result`).
 * Each round runs the three side by side, in a rotated order; ratios are
 * taken within a round, and the medians over the rounds are reported.
 *
 * Also printed, to show the variants are comparable and where the time
 * goes: the HTTP requests each made (from the simulator's record), the
 * client process's CPU time per post, and the store calls the engine made.
 *
 * With `BENCH_BASELINE=<another checkout>`, a fourth variant runs that
 * checkout's file store (the engine stays this one's): before and after,
 * side by side.
 *
 * Run alone: `node --expose-gc --import tsx bench/throughput.ts`.
 */
import { fileStore } from '../src/adapters/file-store.js';
import { baselineFileStore } from './baseline-store.js';
import { memoryStore } from '../src/adapters/memory-store.js';
import type { Store } from '../src/adapters/store.js';
import { countingStore, type StoreTally } from './counting-store.js';
import { publishThroughEngine } from './engine-run.js';
import { collectGarbage } from './gc.js';
import { publishPlain } from './plain-loop.js';
import { rounds, scaled } from './settings.js';
import { countsBetween, type SimCounts } from './sim-messages.js';
import { startSimProcess } from './sim-process.js';
import { fmt, median, rotated, times } from './stats.js';
import { reportSummary } from './summary.js';
import { printTable } from './table.js';
import { tempDir } from './temp-dir.js';
import type { Timing } from './timing.js';

const POSTS = scaled(1_000);
const WARM_UP_POSTS = Math.min(200, POSTS);
const CONCURRENCY = 50;
/** The engine's base unit: its first status read comes 1 ms after the create (the plain loop reads at once). */
const POLL_MS = 1;
/** The target: the engine with the file store at most this many times slower than the plain loop (issue 14). */
const TARGET_RATIO = 1.5;
/** The target for the engine with the memory store, wall time (issue 14). */
const MEMORY_TARGET_RATIO = 1.2;
/** The target for the engine's client CPU per post with the memory store (issue 14). */
const CPU_TARGET_RATIO = 1.5;

type VariantKey = 'file' | 'memory' | 'plain' | 'baseline';

interface Run {
  readonly timing: Timing;
  readonly tally: StoreTally | undefined;
}

interface Variant {
  readonly key: VariantKey;
  readonly name: string;
  run(baseUrl: string, posts: number, tag: string): Promise<Run>;
}

/** Publishes through a fresh engine over `inner`, counting its store calls. */
async function throughEngine(inner: Store, baseUrl: string, posts: number, tag: string): Promise<Run> {
  const { store, tally } = countingStore(inner);
  const timing = await publishThroughEngine({ baseUrl, store, posts, concurrency: CONCURRENCY, tag, pollIntervalMs: POLL_MS });
  return { timing, tally };
}

/** A variant publishing through the engine over a file store in a fresh temp dir. */
const fileVariant = (key: VariantKey, name: string, open: (dir: string) => Store): Variant => ({
  key,
  name,
  async run(baseUrl, posts, tag) {
    const temp = await tempDir('throughput');
    try {
      return await throughEngine(open(temp.dir), baseUrl, posts, tag);
    } finally {
      await temp.remove();
    }
  },
});

const baseline = await baselineFileStore();
const variants: readonly Variant[] = [
  fileVariant('file', 'engine + file store', (dir) => fileStore(dir)),
  ...(baseline ? [fileVariant('baseline', 'engine + file store (baseline)', baseline)] : []),
  { key: 'memory', name: 'engine + memory store', run: (baseUrl, posts, tag) => throughEngine(memoryStore(), baseUrl, posts, tag) },
  {
    key: 'plain',
    name: 'plain undici loop',
    run: async (baseUrl, posts, tag) => ({ timing: await publishPlain({ baseUrl, posts, concurrency: CONCURRENCY, tag, pollMs: POLL_MS }), tally: undefined }),
  },
];

interface Measured extends Run {
  readonly counts: SimCounts;
}

const KEYS = variants.map((v) => v.key);

const requestCells = (counts: SimCounts): string[] => {
  const { create = 0, status = 0, publish = 0 } = counts.requests;
  const other = counts.totalRequests - create - status - publish;
  return [fmt(create), fmt(status), fmt(publish), fmt(other), fmt(counts.totalRequests), fmt(counts.totalRequests / POSTS, 2)];
};

/** One row per store method the engine called: calls per post, mean latency, and the summed latency against the wall time. */
const storeRows = (name: string, tally: StoreTally, wallMs: number): string[][] =>
  [...tally].map(([method, { calls, ms }]) => [name, method, fmt(calls / POSTS, 2), fmt(ms / calls, 2), fmt(ms), times(ms / wallMs)]);

console.log(`# throughput: ${fmt(POSTS)} image posts, ${CONCURRENCY} in flight, ${rounds} rounds (+1 warm-up), simulator in its own process, 0 ms processing`);
const sim = await startSimProcess();
try {
  for (const variant of variants) await variant.run(sim.url, WARM_UP_POSTS, `warm-${variant.key}`);

  const results: Record<VariantKey, Measured[]> = { file: [], memory: [], plain: [], baseline: [] };
  const wallRatios: Record<VariantKey, number[]> = { file: [], memory: [], plain: [], baseline: [] };
  const cpuRatios: Record<VariantKey, number[]> = { file: [], memory: [], plain: [], baseline: [] };
  const perRound: string[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = rotated(variants, round);
    for (const variant of order) {
      await collectGarbage();
      const before = await sim.counts();
      const run = await variant.run(sim.url, POSTS, `r${round}-${variant.key}`);
      const counts = countsBetween(before, await sim.counts());
      if (counts.publishes !== POSTS) throw new Error(`${variant.name} made ${counts.publishes} publishes, not ${POSTS}`);
      if (counts.violations !== 0) throw new Error(`${variant.name}: the simulator saw ${counts.violations} violations`);
      results[variant.key].push({ ...run, counts });
    }
    const timing = (key: VariantKey) => results[key][round]!.timing;
    for (const key of KEYS) {
      wallRatios[key].push(timing(key).wallMs / timing('plain').wallMs);
      cpuRatios[key].push(timing(key).cpuMs / timing('plain').cpuMs);
    }
    perRound.push([
      String(round + 1),
      order.map((v) => v.key).join(' → '),
      ...KEYS.map((key) => fmt(timing(key).wallMs)),
      ...KEYS.filter((key) => key !== 'plain').map((key) => times(wallRatios[key][round]!)),
    ]);
  }

  const short: Record<VariantKey, string> = { file: 'engine+file', memory: 'engine+memory', plain: 'plain', baseline: 'engine+baseline' };
  printTable(
    'Per round: wall ms for all posts, ratios within the round',
    ['round', 'order', ...KEYS.map((key) => short[key]), ...KEYS.filter((key) => key !== 'plain').map((key) => `${short[key].replace('engine+', '')}/plain`)],
    perRound,
  );

  const medianOf = (key: VariantKey, pick: (t: Timing) => number) => median(results[key].map((m) => pick(m.timing)));
  printTable(
    `Throughput, median of ${rounds} rounds (× plain = median of the per-round ratios)`,
    ['variant', 'wall ms', 'posts/s', 'wall × plain', 'client CPU ms/post', 'CPU × plain', 'CPU/wall'],
    variants.map((v) => {
      const wall = medianOf(v.key, (t) => t.wallMs);
      const cpu = medianOf(v.key, (t) => t.cpuMs);
      return [v.name, fmt(wall), fmt((POSTS / wall) * 1000), times(median(wallRatios[v.key])), fmt(cpu / POSTS, 3), times(median(cpuRatios[v.key])), fmt(cpu / wall, 2)];
    }),
  );
  printTable(
    'HTTP requests per run, from the simulator record (last round)',
    ['variant', 'create', 'status', 'publish', 'other', 'total', 'per post'],
    variants.map((v) => [v.name, ...requestCells(results[v.key].at(-1)!.counts)]),
  );
  printTable(
    'Store calls of the engine, last round (Σ ms = summed latency; calls overlap, but for calls made one at a time Σ ÷ wall is their share of the wall time)',
    ['variant', 'method', 'calls/post', 'mean ms', 'Σ ms', 'Σ ÷ wall'],
    variants.flatMap((v) => {
      const last = results[v.key].at(-1)!;
      return last.tally === undefined ? [] : storeRows(v.name, last.tally, last.timing.wallMs);
    }),
  );

  const fileRatio = median(wallRatios.file);
  const postsPerSecond = (key: VariantKey) => fmt((POSTS / medianOf(key, (t) => t.wallMs)) * 1000);
  console.log(`\nengine+file / plain = ${times(fileRatio)} (target ≤ ${times(TARGET_RATIO)}): ${fileRatio <= TARGET_RATIO ? 'met' : 'MISSED'}`);
  await reportSummary([
    { bench: 'throughput', figure: `engine+file / plain, wall time for ${fmt(POSTS)} posts`, value: times(fileRatio), target: `≤ ${times(TARGET_RATIO)}`, met: fileRatio <= TARGET_RATIO },
    { bench: 'throughput', figure: 'engine+memory / plain, wall time', value: times(median(wallRatios.memory)), target: `≤ ${times(MEMORY_TARGET_RATIO)}`, met: median(wallRatios.memory) <= MEMORY_TARGET_RATIO },
    { bench: 'throughput', figure: 'engine+memory / plain, client CPU time', value: times(median(cpuRatios.memory)), target: `≤ ${times(CPU_TARGET_RATIO)}`, met: median(cpuRatios.memory) <= CPU_TARGET_RATIO },
    ...(baseline ? [{ bench: 'throughput', figure: 'engine+file (baseline) / plain, wall time', value: times(median(wallRatios.baseline)), target: '-', met: undefined }] : []),
    { bench: 'throughput', figure: 'engine+file / plain, client CPU time', value: times(median(cpuRatios.file)), target: '-', met: undefined },
    { bench: 'throughput', figure: 'posts/s: engine+file | engine+memory | plain', value: `${postsPerSecond('file')} | ${postsPerSecond('memory')} | ${postsPerSecond('plain')}`, target: '-', met: undefined },
  ]);
} finally {
  await sim.close();
}
