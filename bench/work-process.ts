import { spawn } from 'node:child_process';
import { DEFAULT_ACCOUNT } from '../src/sim/simulator.js';
import { processCpuMs } from './proc-cpu.js';

/** Options of {@link spawnWorker}. */
export interface WorkerOptions {
  /** The built CLI (see built-cli.ts). */
  readonly cli: string;
  /** `--store`: a `postgres://…?schema=…` URL. */
  readonly store: string;
  /** `--graph-url`: the simulator. */
  readonly graphUrl: string;
  /** `--poll-interval`, ms. */
  readonly pollIntervalMs: number;
  /** `--concurrency`: posts this worker works on at once. */
  readonly concurrency: number;
  /** When given, the worker counts its PostgreSQL queries and writes the count to this file as it exits (bench/count-pg-queries.js). */
  readonly queryLog?: string;
}

/** How a worker ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One running `igflow work` process. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  /** The `published` events it has printed so far. */
  published(): number;
  /** Its exit, once it has ended (undefined while it runs). */
  exited(): WorkerExit | undefined;
  /** Its user + system CPU ms so far; undefined once it has ended (or without /proc). */
  cpuMs(): Promise<number | undefined>;
  /** The end of what it wrote to stderr, and its last `problem`/`failed` events, for error messages. */
  tail(): string;
  /** SIGTERM, then its exit (it stores its posts and exits 75). */
  stop(): Promise<WorkerExit>;
}

const TAIL_CHARS = 2_000;
const COUNT_QUERIES = new URL('./count-pg-queries.js', import.meta.url).href;
const keepTail = (text: string) => (text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text);

/**
 * Spawns `node dist/cli/main.js work --store … --graph-url … --poll-interval …
 * --concurrency … --json` with the simulator's default account in
 * IG_ACCESS_TOKEN / IG_USER_ID. Its NDJSON events are read as they come (so
 * the pipe never fills): `published` ones counted, problems kept for errors.
 */
export function spawnWorker(options: WorkerOptions): WorkerProcess {
  const argv = [
    options.cli, 'work',
    '--store', options.store,
    '--graph-url', options.graphUrl,
    '--poll-interval', String(options.pollIntervalMs),
    '--concurrency', String(options.concurrency),
    // the benches lift the simulator's container cap; igflow's own budget (400 a day) goes with it
    '--container-budget', '1000000',
    '--json',
  ];
  const env = { PATH: process.env.PATH, IG_ACCESS_TOKEN: DEFAULT_ACCOUNT.token, IG_USER_ID: DEFAULT_ACCOUNT.igUserId, ...(options.queryLog === undefined ? {} : { IGFLOW_BENCH_QUERY_LOG: options.queryLog }) };
  const preload = options.queryLog === undefined ? [] : ['--import', COUNT_QUERIES];
  const child = spawn(process.execPath, [...preload, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let published = 0;
  let partial = '';
  let problems = '';
  let stderr = '';
  let exit: WorkerExit | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{"type":"published"')) published += 1;
      else if (line.startsWith('{"type":"problem"') || line.startsWith('{"type":"failed"')) problems = keepTail(`${problems}${line}\n`);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = keepTail(stderr + chunk);
  });
  const done = new Promise<WorkerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  return {
    pid: child.pid,
    published: () => published,
    exited: () => exit,
    cpuMs: () => (exit === undefined ? processCpuMs(child.pid) : Promise.resolve(undefined)),
    tail: () => `stderr: ${stderr.trim() || '(nothing)'}\nproblems: ${problems.trim() || '(none)'}`,
    async stop() {
      if (exit === undefined) child.kill('SIGTERM');
      return done;
    },
  };
}
