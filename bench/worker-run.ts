import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { postgresStore } from '../src/adapters/postgres/postgres-store.js';
import { createEngine } from '../src/engine/engine.js';
import { runBounded } from './bounded.js';
import { freshSchema, PG_URL, storeUrl, type DbActivity, type PgAdmin } from './postgres.js';
import { delta, machineBusyMs, postgresCpuMs, processCpuMs } from './proc-cpu.js';
import { countsBetween, type SimCounts } from './sim-messages.js';
import type { SimProcess } from './sim-process.js';
import { captionPrefix, imageSpec, simGraph } from './specs.js';
import { since } from './stats.js';
import { tempDir } from './temp-dir.js';
import { spawnWorker, type WorkerProcess } from './work-process.js';

/** Options of {@link runWorkers}. */
export interface WorkerRunOptions {
  readonly sim: SimProcess;
  readonly admin: PgAdmin;
  /** The built CLI. */
  readonly cli: string;
  /** How many `igflow work` processes. */
  readonly workers: number;
  readonly posts: number;
  /** `--concurrency` of each worker. */
  readonly concurrency: number;
  /** `--poll-interval` of each worker (and of the enqueuing engine). */
  readonly pollIntervalMs: number;
  /** Names the run's posts (captions and media URLs). */
  readonly tag: string;
  /** Give up when the posts are not all published within this long. */
  readonly timeoutMs: number;
}

/** CPU ms spent while the workers published, where /proc could tell. */
export interface RunCpu {
  /** Every worker process, from its start (node's boot included). */
  readonly workers: number | undefined;
  readonly sim: number | undefined;
  /** Every PostgreSQL process, the backends of closed connections included. */
  readonly postgres: number | undefined;
  /** The whole machine (every core, every process). */
  readonly machine: number | undefined;
  /** This process (polling the simulator). */
  readonly bench: number;
}

/** What one run measured. */
export interface WorkerRun {
  readonly workers: number;
  /** From spawning the workers to the simulator's last publish of the run. */
  readonly wallMs: number;
  /** From the simulator's publish number ⌈10 %⌉ to number ⌈90 %⌉ of the run: the steady state, without start-up and tail. */
  readonly steadyMs: number;
  /** From spawning the workers to their last `published` event (the answer to the last publish, stored). */
  readonly recordedMs: number;
  /** From spawning the workers to the simulator's first request of the run (node's boot, connecting, the first claim). */
  readonly firstRequestMs: number;
  /** Storing the posts through `engine.enqueue` beforehand (not timed in `wallMs`). */
  readonly enqueueMs: number;
  /** The `published` events of each worker. */
  readonly perWorker: readonly number[];
  /** What the simulator saw during the run. */
  readonly counts: SimCounts;
  readonly cpu: RunCpu;
  /** PostgreSQL's count for the run, workers' shutdown included. */
  readonly db: DbActivity;
  /** Queries (round trips) the workers sent to PostgreSQL, from their start to their exit. */
  readonly queries: number;
}

/** The queries each worker counted, summed (see bench/count-pg-queries.js). */
async function queriesOf(logs: readonly string[]): Promise<number> {
  const counts = await Promise.all(logs.map(async (log) => Number(await readFile(log, 'utf8'))));
  if (counts.some((n) => !Number.isInteger(n))) throw new Error(`a worker wrote no query count: ${counts.join(', ')}`);
  return counts.reduce((sum, n) => sum + n, 0);
}

/** How often the simulator is asked how many publishes it has. */
const PROGRESS_MS = 20;

/** Stores `posts` image posts for workers, through an engine of this process; resolves to the time taken. */
async function enqueuePosts(schema: string, options: WorkerRunOptions): Promise<number> {
  const start = performance.now();
  const store = postgresStore({ connectionString: PG_URL, schema });
  const engine = createEngine({ store, graph: simGraph(options.sim.url), pollIntervalMs: options.pollIntervalMs, mediaChecks: false });
  try {
    await runBounded(options.posts, 8, async (index) => {
      await engine.enqueue(imageSpec(options.tag, index));
    });
  } finally {
    await engine.shutdown();
    await store.close();
  }
  return since(start);
}

/** Fails unless the run published every post exactly once: by the simulator's record and by the store. */
async function checkExactlyOnce(schema: string, options: WorkerRunOptions, counts: SimCounts): Promise<void> {
  const { posts, tag } = options;
  const what = `${options.workers} worker(s), run ${tag}`;
  const published = await options.sim.published(captionPrefix(tag));
  if (counts.publishes !== posts || published.publishes !== posts || published.distinctCaptions !== posts) {
    throw new Error(`${what}: ${counts.publishes} publishes (${published.publishes} of this run, ${published.distinctCaptions} distinct posts), not ${posts} once each`);
  }
  if (counts.violations !== 0) throw new Error(`${what}: the simulator saw ${counts.violations} violations`);
  const store = postgresStore({ connectionString: PG_URL, schema });
  try {
    const listing = await store.posts.list();
    const done = listing.posts.filter((post) => post.status === 'published').length;
    if (done !== posts || listing.posts.length !== posts || listing.problems.length !== 0) {
      throw new Error(`${what}: the store has ${done} of ${listing.posts.length} posts published and ${listing.problems.length} problems`);
    }
  } finally {
    await store.close();
  }
}

/**
 * One run: enqueue `posts` into a fresh schema, spawn the workers, time
 * until the simulator has every post published, read the CPU counters,
 * wait for the workers to report every post published (stored), SIGTERM
 * them (each must exit 75), check exactly-once, and drop the schema
 * whatever happened.
 */
export async function runWorkers(options: WorkerRunOptions): Promise<WorkerRun> {
  const { sim, admin } = options;
  const schema = freshSchema(`w${options.workers}`);
  const logs = await tempDir('worker-queries');
  let workers: WorkerProcess[] = [];
  try {
    const enqueueMs = await enqueuePosts(schema, options);
    await pause(250); // the enqueuing connections' backends report their statistics as they exit, before the reading below
    const before = await sim.counts();
    const dbBefore = await admin.activity();
    const pgBefore = await postgresCpuMs();
    const simBefore = await processCpuMs(sim.pid);
    const machineBefore = await machineBusyMs();
    const benchBefore = process.cpuUsage();

    const start = performance.now();
    const worker = { cli: options.cli, store: storeUrl(schema), graphUrl: sim.url, pollIntervalMs: options.pollIntervalMs, concurrency: options.concurrency };
    const queryLogs = Array.from({ length: options.workers }, (_, i) => join(logs.dir, `worker-${i}.count`));
    workers = queryLogs.map((queryLog) => spawnWorker({ ...worker, queryLog }));
    const [tenth, ninetieth] = [Math.ceil(options.posts * 0.1), Math.ceil(options.posts * 0.9)];
    let firstRequestMs: number | undefined;
    let tenthMs: number | undefined;
    let ninetiethMs: number | undefined;
    let wallMs: number | undefined;
    while (wallMs === undefined) {
      const progress = await sim.progress();
      const now = since(start);
      const published = progress.publishes - before.publishes;
      if (firstRequestMs === undefined && progress.totalRequests > before.totalRequests) firstRequestMs = now;
      if (tenthMs === undefined && published >= tenth) tenthMs = now;
      if (ninetiethMs === undefined && published >= ninetieth) ninetiethMs = now;
      if (published >= options.posts) wallMs = now;
      else {
        const ended = workers.find((w) => w.exited() !== undefined);
        if (ended !== undefined) throw new Error(`a worker exited early (${JSON.stringify(ended.exited())})\n${ended.tail()}`);
        if (now > options.timeoutMs) throw new Error(`${published} of ${options.posts} published after ${Math.round(now)} ms\n${workers.map((w) => w.tail()).join('\n')}`);
        await pause(PROGRESS_MS);
      }
    }
    const machineAfter = await machineBusyMs();
    const benchUsage = process.cpuUsage(benchBefore);
    const workerCpu = await Promise.all(workers.map((w) => w.cpuMs()));
    const cpu: RunCpu = {
      workers: workerCpu.some((ms) => ms === undefined) ? undefined : workerCpu.reduce<number>((sum, ms) => sum + (ms ?? 0), 0),
      sim: delta(simBefore, await processCpuMs(sim.pid)),
      postgres: delta(pgBefore, await postgresCpuMs()),
      machine: delta(machineBefore, machineAfter),
      bench: (benchUsage.user + benchUsage.system) / 1000,
    };

    // the simulator counts a publish when it takes the request, before its (delayed) answer: let the workers store their last ones
    while (workers.reduce((sum, w) => sum + w.published(), 0) < options.posts) {
      if (since(start) > options.timeoutMs) throw new Error(`the workers reported ${workers.map((w) => w.published()).join('/')} published posts of ${options.posts}`);
      await pause(PROGRESS_MS);
    }
    const recordedMs = since(start);

    const exits = await Promise.all(workers.map((w) => w.stop()));
    const bad = exits.findIndex((exit) => exit.code !== 75);
    if (bad >= 0) throw new Error(`worker ${bad + 1} exited with ${JSON.stringify(exits[bad])} after SIGTERM\n${workers[bad]!.tail()}`);
    await pause(250); // likewise the workers' backends
    const dbAfter = await admin.activity();
    const counts = countsBetween(before, await sim.counts());
    await checkExactlyOnce(schema, options, counts);
    return {
      workers: options.workers,
      wallMs,
      firstRequestMs: firstRequestMs ?? wallMs,
      steadyMs: (ninetiethMs ?? wallMs) - (tenthMs ?? 0),
      recordedMs,
      enqueueMs,
      perWorker: workers.map((w) => w.published()),
      counts,
      cpu,
      db: { activeMs: dbAfter.activeMs - dbBefore.activeMs, commits: dbAfter.commits - dbBefore.commits },
      queries: await queriesOf(queryLogs),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await admin.dropSchema(schema);
    await logs.remove();
  }
}
