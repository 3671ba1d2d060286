/**
 * Resume: 10,000 stored posts waiting on their schedule (published through
 * one engine, which is then shut down), taken up again by
 * `engine.resumeAll()` on a fresh engine, against the time of just
 * `store.posts.list({ status: 'unfinished' })` on the same data: the ratio is what the engine
 * adds on top of reading the store. Once with the file store (a fresh
 * `fileStore(dir)` over the same directory each time; the page cache is
 * warm), once with the memory store (the same instance). Resuming parked
 * posts writes nothing, so every round sees the same data; each round
 * alternates the order of the two measurements.
 *
 * With `BENCH_BASELINE=<another checkout>`, that checkout's file store
 * lists and resumes the same directory too (once filled, it is plain files).
 *
 * Run alone: `node --expose-gc --import tsx bench/resume.ts`.
 */
import { filter } from 'rxjs';
import { fileStore } from '../src/adapters/file-store.js';
import { baselineFileStore } from './baseline-store.js';
import { memoryStore } from '../src/adapters/memory-store.js';
import type { Store } from '../src/adapters/store.js';
import { VirtualClock } from '../src/time/virtual-clock.js';
import { collectGarbage } from './gc.js';
import { parkScheduled, scheduledEngine } from './park-scheduled.js';
import { rounds, scaled } from './settings.js';
import { startSimProcess } from './sim-process.js';
import { fmt, median, rotated, times } from './stats.js';
import { reportSummary } from './summary.js';
import { printTable } from './table.js';
import { tempDir } from './temp-dir.js';
import { measure, type Timing } from './timing.js';

const POSTS = scaled(10_000);
/** The target: all posts resumed within this long (issue 14). */
const TARGET_MS = 500;

type StoreKey = 'file' | 'memory' | 'baseline';
type Step = 'resume' | 'list';

/** Times `engine.resumeAll()` on a fresh engine over `store`, then shuts the engine down (not timed). */
async function timeResume(store: Store, baseUrl: string): Promise<Timing> {
  const engine = scheduledEngine(store, new VirtualClock(), baseUrl);
  let waiting = 0;
  const subscription = engine.events$.pipe(filter((event) => event.type === 'waiting')).subscribe(() => {
    waiting += 1;
  });
  let handles = 0;
  const timing = await measure(async () => {
    handles = (await engine.resumeAll()).length;
  });
  subscription.unsubscribe();
  await engine.shutdown();
  if (handles !== POSTS) throw new Error(`resumeAll gave ${handles} handles, not ${POSTS}`);
  if (waiting !== POSTS) console.warn(`note: resumeAll reported ${waiting} waiting events for ${POSTS} posts`);
  return timing;
}

/** Times `listUnfinished()` alone. */
async function timeList(store: Store): Promise<Timing> {
  let found = 0;
  const timing = await measure(async () => {
    found = (await store.posts.list({ status: 'unfinished' })).posts.length;
  });
  if (found !== POSTS) throw new Error(`listUnfinished found ${found} posts, not ${POSTS}`);
  return timing;
}

console.log(`# resume: ${fmt(POSTS)} stored posts waiting on their schedule, ${rounds} rounds (+1 warm-up)`);
const sim = await startSimProcess();
const temp = await tempDir('resume');
try {
  const memory = memoryStore();
  /** Each step on a fresh store object: over the same directory for files, the same instance for memory. */
  const baseline = await baselineFileStore();
  const storeFor: Record<StoreKey, () => Store> = { file: () => fileStore(temp.dir), memory: () => memory, baseline: () => (baseline ?? fileStore)(temp.dir) };
  const keys: readonly StoreKey[] = baseline ? ['file', 'baseline', 'memory'] : ['file', 'memory'];

  const fillMs: Record<'file' | 'memory', number> = { file: 0, memory: 0 };
  for (const key of ['file', 'memory'] as const) {
    const clock = new VirtualClock();
    const engine = scheduledEngine(storeFor[key](), clock, sim.url);
    fillMs[key] = (await measure(() => parkScheduled(engine, clock, POSTS, `fill-${key}`))).wallMs;
    await engine.shutdown();
  }
  console.log(`filled: file store ${fmt(fillMs.file)} ms, memory store ${fmt(fillMs.memory)} ms`);

  const run = (key: StoreKey, step: Step) => (step === 'resume' ? timeResume(storeFor[key](), sim.url) : timeList(storeFor[key]()));
  for (const key of keys) for (const step of ['list', 'resume'] as const) await run(key, step);

  const results: Record<StoreKey, Record<Step, Timing[]>> = { file: { resume: [], list: [] }, memory: { resume: [], list: [] }, baseline: { resume: [], list: [] } };
  const ratios: Record<StoreKey, number[]> = { file: [], memory: [], baseline: [] };
  const perRound: string[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const key of rotated(keys, round)) {
      for (const step of rotated(['resume', 'list'] as const, round)) {
        await collectGarbage();
        results[key][step].push(await run(key, step));
      }
      const resume = results[key].resume[round]!.wallMs;
      const list = results[key].list[round]!.wallMs;
      ratios[key].push(resume / list);
      perRound.push([String(round + 1), key, rotated(['resume', 'list'], round).join(' → '), fmt(resume), fmt(list), times(resume / list)]);
    }
  }
  printTable('Per round: wall ms', ['round', 'store', 'order', 'resumeAll', 'listUnfinished', 'resume/list'], perRound);

  const med = (key: StoreKey, step: Step, pick: (t: Timing) => number) => median(results[key][step].map(pick));
  printTable(
    `Resume of ${fmt(POSTS)} waiting posts, median of ${rounds} rounds (target: resumeAll ≤ ${fmt(TARGET_MS)} ms)`,
    ['store', 'resumeAll ms', 'listUnfinished ms', 'resume/list', 'engine part ms', 'resumeAll ÷ target', 'resume µs/post', 'resume CPU/wall'],
    keys.map((key) => {
      const resume = med(key, 'resume', (t) => t.wallMs);
      const list = med(key, 'list', (t) => t.wallMs);
      return [
        `${key} store`,
        fmt(resume),
        fmt(list),
        times(median(ratios[key])),
        fmt(resume - list),
        times(resume / TARGET_MS),
        fmt((resume / POSTS) * 1000, 1),
        fmt(med(key, 'resume', (t) => t.cpuMs) / resume, 2),
      ];
    }),
  );

  const fileResume = med('file', 'resume', (t) => t.wallMs);
  const memoryResume = med('memory', 'resume', (t) => t.wallMs);
  console.log(`\nresumeAll of ${fmt(POSTS)} (file store) = ${fmt(fileResume)} ms (target ≤ ${fmt(TARGET_MS)} ms): ${fileResume <= TARGET_MS ? 'met' : 'MISSED'}`);
  await reportSummary([
    { bench: 'resume', figure: `resumeAll of ${fmt(POSTS)}, file store`, value: `${fmt(fileResume)} ms (${times(median(ratios.file))} listUnfinished)`, target: `≤ ${fmt(TARGET_MS)} ms`, met: fileResume <= TARGET_MS },
    { bench: 'resume', figure: `resumeAll of ${fmt(POSTS)}, memory store`, value: `${fmt(memoryResume)} ms (${times(median(ratios.memory))} listUnfinished)`, target: `≤ ${fmt(TARGET_MS)} ms`, met: memoryResume <= TARGET_MS },
    ...(baseline
      ? [{ bench: 'resume', figure: `resumeAll of ${fmt(POSTS)}, file store (baseline)`, value: `${fmt(med('baseline', 'resume', (t) => t.wallMs))} ms (${times(median(ratios.baseline))} listUnfinished)`, target: '-', met: undefined }]
      : []),
  ]);
} finally {
  await temp.remove();
  await sim.close();
}
