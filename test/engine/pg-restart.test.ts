import { randomBytes } from 'node:crypto';
import { judge } from '../../src/sim/oracle.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/adapters/postgres/postgres-store.js';
import { createEngine } from '../../src/engine/engine.js';
import type { ScenarioInput } from '../../src/sim/scenario.js';
import { DEFAULT_ACCOUNT, startSimulator } from '../../src/sim/simulator.js';
import { spawnCli } from '../cli/cli-harness.js';
import { assertPostgresBinaries, createPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

/**
 * `igflow work` on PostgreSQL rides out a restart of the database: it stays
 * up, says once on stderr that the store is unreachable and once that it is
 * back, and every post is still published exactly once, including those it
 * was working on when the database went away. The server is a private one
 * (test/support/private-postgres.ts): the shared one on 5432 serves other
 * test files at the same time and must not be stopped.
 */
// No PostgreSQL binaries: the whole file fails, saying what to install (never a silent skip).
await assertPostgresBinaries();

const env = { IG_ACCESS_TOKEN: DEFAULT_ACCOUNT.token, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };
/** In the store URL the worker gets; trust auth ignores it, and it must never be printed. */
const PASSWORD = 'pg-restart-s3cret';
/** How long PostgreSQL stays down: several retries of the worker's backoff (0.25, 0.5, 1, 2 s) fail in that time. */
const OUTAGE_MS = 3_000;
/** The lease `igflow work` holds by default: posts it was running must be taken up again well before it runs out. */
const LEASE_MS = 60_000;
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
const OUTAGE_LINE = /^igflow work: store unreachable: .+; retrying in .+$/gm;
const RECOVERY_LINE = /^igflow work: store reachable again after .+$/gm;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

interface WorkerEvent {
  readonly type: string;
  readonly postId: string;
  readonly at: string;
  readonly reason?: string;
}

/** `igflow work` as a child process (a 50 ms unit: containers may take 6 s), with its exit (if any) and its NDJSON events. */
function startWorker(storeUrl: string, graphUrl: string) {
  const run = spawnCli(['work', '--store', storeUrl, '--graph-url', graphUrl, '--poll-interval', '50', '--concurrency', '10', '--json'], env);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  run.child.once('exit', (code, signal) => (exited = { code, signal }));
  const events = (): WorkerEvent[] =>
    run
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as WorkerEvent);
  return { ...run, exited: () => exited, events };
}
type Worker = ReturnType<typeof startWorker>;

/** Polls `check` until it holds; fails with the worker's stderr when it times out or the worker exits first. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, worker: Worker): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    const exited = worker.exited();
    if (exited !== undefined || Date.now() > deadline) {
      const why = exited === undefined ? `timed out after ${timeoutMs} ms` : `the worker exited (code ${exited.code}, signal ${exited.signal})`;
      throw new Error(`waiting for ${what}: ${why}; its stderr:\n${worker.errors().slice(-3_000)}\nthe end of its stdout:\n${worker.output().slice(-1_500)}`);
    }
    await pause(50);
  }
}

describe('igflow work across a PostgreSQL restart', () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await createPrivatePostgres({ password: PASSWORD });
  }, 60_000);
  afterEach(async () => {
    await server.start(); // a test that failed during its outage leaves the server up for the next one
  });
  afterAll(async () => {
    await server?.destroy();
  });

  async function world(scenario: ScenarioInput) {
    const schema = `igflow_restart_${randomBytes(4).toString('hex')}`;
    const sim = await startSimulator({ scenario: { quotaTotal: 100_000, ...scenario } });
    const store = postgresStore({ connectionString: server.url, schema });
    const producer = createEngine({ store, graph: { accessToken: env.IG_ACCESS_TOKEN, igUserId: env.IG_USER_ID, baseUrl: sim.url }, mediaChecks: false });
    const enqueue = async (prefix: string, n: number) => {
      for (let i = 0; i < n; i++) await producer.enqueue({ kind: 'image', id: `${prefix}-${i}`, imageUrl: `https://cdn.example/${prefix}/${i}.jpg`, caption: `${prefix} ${i}` });
    };
    const workers: Worker[] = [];
    const worker = () => {
      const started = startWorker(`${server.url}?schema=${schema}`, sim.url);
      workers.push(started);
      return started;
    };
    const close = async () => {
      // a test that failed halfway leaves no worker behind
      for (const left of workers.filter((w) => w.exited() === undefined)) left.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.done));
      await producer.shutdown();
      await store.close();
      await sim.close();
    };
    return { sim, store, enqueue, worker, close };
  }

  /** Stops PostgreSQL for OUTAGE_MS while `worker` runs, and starts it again; resolves once the worker says the store is back. */
  async function restartUnder(worker: Worker): Promise<{ downMs: number; recoveredAt: number }> {
    const reportedBefore = count(worker.errors(), OUTAGE_LINE);
    const recoveredBefore = count(worker.errors(), RECOVERY_LINE);
    const stoppedAt = Date.now();
    await server.stop();
    await until(() => count(worker.errors(), OUTAGE_LINE) > reportedBefore, 15_000, 'the worker to report the outage', worker);
    await pause(stoppedAt + OUTAGE_MS - Date.now()); // the outage itself
    expect(worker.exited()).toBeUndefined();
    await server.start();
    const downMs = Date.now() - stoppedAt;
    await until(() => count(worker.errors(), RECOVERY_LINE) > recoveredBefore, 20_000, 'the worker to report that the store is back', worker);
    return { downMs, recoveredAt: Date.now() };
  }

  /** SIGTERMs the worker (it must still be running) and checks its exit code and stderr. */
  async function stopAndCheck(worker: Worker, outages: number): Promise<string> {
    expect(worker.exited()).toBeUndefined();
    worker.child.kill('SIGTERM');
    const { code, stderr, stdout } = await worker.done;
    expect(code).toBe(75);
    expect(count(stderr, OUTAGE_LINE)).toBe(outages);
    expect(count(stderr, RECOVERY_LINE)).toBe(outages);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(stderr).not.toMatch(/Unhandled/i);
    expect(stderr + stdout).not.toContain(PASSWORD);
    return stderr;
  }

  /** Every one of `n` posts published exactly once, in the simulator's record and in the store. */
  async function expectExactlyOnce(w: Awaited<ReturnType<typeof world>>, n: number): Promise<void> {
    const publishes = w.sim.record.publishes;
    expect(publishes).toHaveLength(n);
    expect(new Set(publishes.map((p) => p.fingerprint)).size).toBe(n);
    expect(new Set(publishes.map((p) => p.containerId)).size).toBe(n);
    expect(w.sim.record.violations).toEqual([]);
    expect(judge(w.sim.record)).toEqual([]);
    const { posts, problems } = await w.store.posts.list();
    expect(problems).toEqual([]);
    expect(posts.map((p) => p.status)).toEqual(Array.from({ length: n }, () => 'published'));
  }

  it('an idle worker stays up, says once that the store is gone and once that it is back, and publishes what comes next', async () => {
    const w = await world({ processing: { imageMs: [20, 50] } });
    try {
      await w.enqueue('idle-before', 5);
      const worker = w.worker();
      await until(() => worker.events().filter((e) => e.type === 'published').length >= 5, 30_000, 'the first 5 posts to be published', worker);
      const { downMs } = await restartUnder(worker);
      await w.enqueue('idle-after', 5);
      await until(() => w.sim.record.publishes.length >= 10, 30_000, 'the 5 posts enqueued after the restart', worker);
      await until(() => worker.events().filter((e) => e.type === 'published').length >= 10, 10_000, 'the worker to store them as published', worker);
      const stderr = await stopAndCheck(worker, 1);
      await expectExactlyOnce(w, 10);
      console.log(`pg restart, idle worker: down ${(downMs / 1000).toFixed(1)} s; 10 posts, ${w.sim.record.publishes.length} publishes; stderr:\n${stderr}`);
    } finally {
      await w.close();
    }
  }, 90_000);

  it('a busy worker takes up the posts it was running once the store is back, without waiting out its lease; nothing lost or doubled', async () => {
    const w = await world({ processing: { imageMs: [1_500, 3_000] } });
    try {
      await w.enqueue('busy-before', 30);
      const worker = w.worker();
      await until(() => w.sim.record.publishes.length >= 3, 30_000, 'the first publishes', worker);
      const started = (type: string) => worker.events().filter((e) => e.type === type).length;
      const inFlight = started('resumed') - started('published');
      expect(inFlight).toBeGreaterThan(0);
      const { downMs, recoveredAt } = await restartUnder(worker);
      await w.enqueue('busy-after', 10);
      await until(() => w.sim.record.publishes.length >= 40, 45_000, 'all 40 posts to be published', worker);
      await until(() => started('published') >= 40, 10_000, 'the worker to store them all as published', worker);

      // the posts the outage stopped here were taken up again by this worker, right after the store came back
      const events = worker.events();
      const stopped = events.filter((e) => e.type === 'interrupted' && /store/.test(e.reason ?? ''));
      expect(stopped.length).toBeGreaterThan(0);
      for (const interruption of stopped) {
        const resumed = events.find((e) => e.type === 'resumed' && e.postId === interruption.postId && Date.parse(e.at) >= Date.parse(interruption.at));
        expect(resumed, `post ${interruption.postId} was taken up again`).toBeDefined();
        expect(Date.parse(resumed!.at) - recoveredAt).toBeLessThan(LEASE_MS / 4);
      }
      const stderr = await stopAndCheck(worker, 1);
      await expectExactlyOnce(w, 40);
      console.log(
        `pg restart, busy worker: down ${(downMs / 1000).toFixed(1)} s with ${inFlight} posts in flight; ${stopped.length} stopped by the outage and taken up again; 40 posts, ${w.sim.record.publishes.length} publishes; stderr:\n${stderr}`,
      );
    } finally {
      await w.close();
    }
  }, 120_000);
});
