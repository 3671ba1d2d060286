/**
 * Workers: throughput of 1, 2 and 4 `igflow work` processes (the built CLI,
 * `--json`) sharing one PostgreSQL store, against the simulator in its own
 * process with realistic latency: every request answered 100–200 ms late,
 * images processed in about a second, quota and container cap out of the
 * way. Each run enqueues 600 image posts (through `engine.enqueue` in this
 * process) into a fresh schema, starts the workers, and times from their
 * spawn until the simulator has every post published; then the workers get
 * SIGTERM (each must exit 75, interrupted but resumable), every post must have been published exactly
 * once (by the simulator's record and by the store), and the schema is
 * dropped. Rounds rotate the order of the three worker counts; the scaling
 * ratios are medians of the per-round ratios.
 *
 * Each worker runs 25 posts at once (`--concurrency 25`, as in the worker
 * tests): the budget is per process, so more workers means more posts in
 * flight, as when a deployment adds machines. With ~2 s of latency per
 * post, one worker at 25 is latency-bound (about 12 posts/s, a fraction of
 * a core), so extra workers have room to add throughput; 4 × 25 = 100 in
 * flight keeps the connections (11 per worker) far under PostgreSQL's 100.
 *
 * Also printed, to show what limits the scaling: CPU over each run, in
 * cores (from /proc: the workers, the simulator, PostgreSQL, the whole
 * machine), PostgreSQL's own statement time and commits per post, and the
 * HTTP requests per post. The simulator, PostgreSQL and the workers share
 * this machine's cores, so 4 workers cannot be expected to scale linearly.
 *
 * Needs PostgreSQL (IGFLOW_BENCH_PG, default postgres://postgres@127.0.0.1:5432/test)
 * and the built CLI (rebuilt first when dist/ is older than src/).
 * Run alone: `node --import tsx bench/workers.ts`.
 */
import { availableParallelism } from 'node:os';
import { builtCli } from './built-cli.js';
import { pgAdmin } from './postgres.js';
import { busyCores } from './proc-cpu.js';
import { rounds, scaled } from './settings.js';
import type { SimSetup } from './sim-messages.js';
import { startSimProcess } from './sim-process.js';
import { fmt, median, rotated, times } from './stats.js';
import { reportSummary } from './summary.js';
import { printTable } from './table.js';
import { runWorkers, type RunCpu, type WorkerRun } from './worker-run.js';

const POSTS = scaled(600);
const WARM_UP_POSTS = Math.min(100, POSTS);
const WORKER_COUNTS = [1, 2, 4] as const;
/** `--concurrency` of every worker (see the top comment). */
const CONCURRENCY = 25;
/** `--poll-interval`: the first status read 250 ms after the create, then 500, 750 ms… later. */
const UNIT_MS = 250;
/** Answer delays per endpoint, and image processing time. */
const SIM_SETUP: SimSetup = {
  imageMs: [800, 1_200],
  delayMs: { create: 200, status: 100, publish: 200, limit: 100, media: 100, stories: 100 },
};
const TIMEOUT_MS = 300_000;
const CORES = availableParallelism();

type Count = (typeof WORKER_COUNTS)[number];

const median1 = (values: readonly (number | undefined)[]): number | undefined => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : median(known);
};
const orDash = (value: number | undefined, decimals: number) => (value === undefined ? '-' : fmt(value, decimals));
const seconds = (ms: number) => fmt(ms / 1000, 1);
const postsPerSecond = (run: WorkerRun) => (POSTS / run.wallMs) * 1000;
/** Posts/s between the 10 % and the 90 % publish: the rate once every worker is up, before the last posts drain. */
const steadyPostsPerSecond = (run: WorkerRun) => ((Math.ceil(POSTS * 0.9) - Math.ceil(POSTS * 0.1)) / run.steadyMs) * 1000;

console.log(
  `# workers: ${fmt(POSTS)} image posts through 1, 2 and 4 \`igflow work\` processes (--concurrency ${CONCURRENCY} each, --poll-interval ${UNIT_MS}) on one PostgreSQL store, ` +
    `${rounds} rounds (+1 warm-up); simulator in its own process: answers ${Object.entries(SIM_SETUP.delayMs ?? {}).map(([e, ms]) => `${e} ${ms} ms`).join(', ')}; images ${SIM_SETUP.imageMs?.join('–')} ms`,
);
console.log(`# this machine has ${CORES} cores, shared by the simulator, PostgreSQL and the workers: 4 workers cannot be expected to scale linearly`);

const cli = await builtCli();
/** Anything else busy on the machine takes cores from the runs, and shows in the `rest` column below. */
const idleLoad = await busyCores(2_000);
if (idleLoad !== undefined) {
  const quiet = idleLoad < 0.2;
  console.log(`# before the runs: ${fmt(idleLoad, 2)} of ${CORES} cores busy${quiet ? '' : ' with other work: the figures below are noisy, and the PostgreSQL ones count other users of the database too'}`);
}
const admin = await pgAdmin();
const sim = await startSimProcess(SIM_SETUP);
try {
  const run = (workers: Count, posts: number, tag: string) =>
    runWorkers({ sim, admin, cli, workers, posts, concurrency: CONCURRENCY, pollIntervalMs: UNIT_MS, tag, timeoutMs: TIMEOUT_MS });
  const warm = await run(2, WARM_UP_POSTS, 'warm');
  console.log(`warm-up: ${fmt(WARM_UP_POSTS)} posts, 2 workers, ${seconds(warm.wallMs)} s`);

  const results: Record<Count, WorkerRun[]> = { 1: [], 2: [], 4: [] };
  const ratios: Record<Count, number[]> = { 1: [], 2: [], 4: [] };
  const steadyRatios: Record<Count, number[]> = { 1: [], 2: [], 4: [] };
  const perRound: string[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = rotated(WORKER_COUNTS, round);
    for (const workers of order) {
      const result = await run(workers, POSTS, `r${round}-w${workers}`);
      results[workers].push(result);
      console.log(`round ${round + 1}, ${workers} worker(s): ${seconds(result.wallMs)} s, ${fmt(postsPerSecond(result), 1)} posts/s (last post stored ${fmt(result.recordedMs - result.wallMs)} ms later; enqueue ${seconds(result.enqueueMs)} s, not timed)`);
    }
    const wall = (workers: Count) => results[workers][round]!.wallMs;
    const steady = (workers: Count) => steadyPostsPerSecond(results[workers][round]!);
    for (const workers of WORKER_COUNTS) {
      ratios[workers].push(wall(1) / wall(workers));
      steadyRatios[workers].push(steady(workers) / steady(1));
    }
    perRound.push([String(round + 1), order.join(' → '), ...WORKER_COUNTS.map((w) => seconds(wall(w))), times(ratios[2][round]!), times(ratios[4][round]!)]);
  }
  printTable('Per round: wall s from spawning the workers to the last publish, and posts/s ratios within the round', ['round', 'order', '1w s', '2w s', '4w s', '2w/1w', '4w/1w'], perRound);

  const med = (workers: Count, pick: (run: WorkerRun) => number | undefined) => median1(results[workers].map(pick));
  const pps = (workers: Count) => median(results[workers].map(postsPerSecond));
  printTable(
    `Throughput, median of ${rounds} rounds (× 1 worker = median of the per-round ratios; steady = between the 10 % and the 90 % publish; s/post = posts in flight ÷ steady posts/s, the time one post takes (Little's law); split = published events per worker, last round)`,
    ['workers', 'in flight', 'wall s', 'posts/s', '× 1 worker', 'ideal', 'steady posts/s', 'steady × 1 worker', 's/post', 'first request s', 'split'],
    WORKER_COUNTS.map((w) => [
      String(w),
      String(w * CONCURRENCY),
      seconds(med(w, (r) => r.wallMs)!),
      fmt(pps(w), 1),
      times(median(ratios[w])),
      times(w),
      fmt(median(results[w].map(steadyPostsPerSecond)), 1),
      times(median(steadyRatios[w])),
      fmt((w * CONCURRENCY) / median(results[w].map(steadyPostsPerSecond)), 2),
      fmt(med(w, (r) => r.firstRequestMs)! / 1000, 2),
      results[w].at(-1)!.perWorker.join('/'),
    ]),
  );

  const cores = (pick: (cpu: RunCpu) => number | undefined) => (run: WorkerRun) => {
    const ms = pick(run.cpu);
    return ms === undefined ? undefined : ms / run.wallMs;
  };
  printTable(
    `CPU over the run in cores (CPU ms ÷ wall ms, from /proc; the machine has ${CORES}; rest = machine − the others: the kernel, other processes), median of ${rounds} rounds`,
    ['workers', 'machine', 'igflow work (all)', 'per worker', 'simulator', 'PostgreSQL', 'bench', 'rest'],
    WORKER_COUNTS.map((w) => {
      const machine = med(w, cores((c) => c.machine));
      const workers = med(w, cores((c) => c.workers));
      const simCores = med(w, cores((c) => c.sim));
      const postgres = med(w, cores((c) => c.postgres));
      const bench = med(w, cores((c) => c.bench));
      const known = [workers, simCores, postgres, bench];
      const rest = machine === undefined || known.includes(undefined) ? undefined : machine - known.reduce<number>((sum, v) => sum + (v ?? 0), 0);
      return [String(w), orDash(machine, 2), orDash(workers, 2), orDash(workers === undefined ? undefined : workers / w, 2), orDash(simCores, 2), orDash(postgres, 2), orDash(bench, 2), orDash(rest, 2)];
    }),
  );

  const perPost = (pick: (run: WorkerRun) => number | undefined) => (run: WorkerRun) => {
    const value = pick(run);
    return value === undefined ? undefined : value / POSTS;
  };
  const requests = (run: WorkerRun, endpoint: 'create' | 'status' | 'publish') => run.counts.requests[endpoint] ?? 0;
  printTable(
    `Per post, median of ${rounds} rounds (PostgreSQL statement ms = pg_stat_database.active_time, summed over backends; HTTP requests from the simulator record)`,
    ['workers', 'queries', 'worker CPU ms', 'simulator CPU ms', 'PostgreSQL CPU ms', 'PostgreSQL statement ms', 'commits', 'create', 'status', 'publish', 'other'],
    WORKER_COUNTS.map((w) => [
      String(w),
      orDash(med(w, perPost((r) => r.queries)), 1),
      orDash(med(w, perPost((r) => r.cpu.workers)), 2),
      orDash(med(w, perPost((r) => r.cpu.sim)), 2),
      orDash(med(w, perPost((r) => r.cpu.postgres)), 2),
      orDash(med(w, perPost((r) => r.db.activeMs)), 2),
      orDash(med(w, perPost((r) => r.db.commits)), 1),
      orDash(med(w, perPost((r) => requests(r, 'create'))), 2),
      orDash(med(w, perPost((r) => requests(r, 'status'))), 2),
      orDash(med(w, perPost((r) => requests(r, 'publish'))), 2),
      orDash(med(w, perPost((r) => r.counts.totalRequests - requests(r, 'create') - requests(r, 'status') - requests(r, 'publish'))), 2),
    ]),
  );

  const queriesPerPost = (w: Count) => med(w, perPost((r) => r.queries))!;
  const cpuPerPost = (w: Count) => med(w, perPost((r) => r.cpu.workers));
  const scaling = (pick: (w: Count) => number | undefined) => WORKER_COUNTS.map((w) => orDash(pick(w), 2)).join(' | ');
  const growth = (pick: (w: Count) => number | undefined) => {
    const [one, four] = [pick(1), pick(4)];
    return one === undefined || four === undefined ? '-' : times(four / one);
  };
  const ratio2 = median(ratios[2]);
  const ratio4 = median(ratios[4]);
  console.log(
    `\nposts/s: 1 worker ${fmt(pps(1), 1)}, 2 workers ${fmt(pps(2), 1)} (${times(ratio2)}), 4 workers ${fmt(pps(4), 1)} (${times(ratio4)}); ` +
      `every run published each of its ${fmt(POSTS)} posts exactly once, with no simulator violations`,
  );
  await reportSummary([
    {
      bench: 'workers',
      figure: `posts/s with 1 | 2 | 4 igflow work processes on PostgreSQL (2w/1w, 4w/1w; ${CORES} cores)`,
      value: `${fmt(pps(1), 1)} | ${fmt(pps(2), 1)} | ${fmt(pps(4), 1)} (${times(ratio2)}, ${times(ratio4)})`,
      target: '-',
      met: undefined,
    },
    {
      bench: 'workers',
      figure: 'PostgreSQL queries (round trips) per post, 1 | 2 | 4 workers (4w ÷ 1w)',
      value: `${scaling(queriesPerPost)} (${growth(queriesPerPost)})`,
      target: '-',
      met: undefined,
    },
    {
      bench: 'workers',
      figure: 'worker CPU ms per post, all workers, 1 | 2 | 4 workers (4w ÷ 1w)',
      value: `${scaling(cpuPerPost)} (${growth(cpuPerPost)})`,
      target: '-',
      met: undefined,
    },
  ]);
} finally {
  await sim.close();
  await admin.close();
}
