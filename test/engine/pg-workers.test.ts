import { randomBytes } from 'node:crypto';
import { judge } from '../../src/sim/oracle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/adapters/postgres/postgres-store.js';
import { createEngine } from '../../src/engine/engine.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { adminPool, assertPostgresReachable, closeAdminPool, PG_URL } from '../adapters/fixtures/postgres-schema.js';
import { spawnCli } from '../cli/cli-harness.js';

/**
 * Issue 8: several `igflow work` processes share one PostgreSQL store and
 * the simulator. Workers are SIGKILLed and restarted at random, or frozen
 * past their lease; every post is still published exactly once.
 */
const env = { IG_ACCESS_TOKEN: DEFAULT_ACCOUNT.token, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}

describe('igflow work: many workers on one PostgreSQL store', () => {
  const schemas: string[] = [];
  beforeAll(assertPostgresReachable);
  afterAll(async () => {
    for (const schema of schemas) await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await closeAdminPool();
  });

  async function world(scenario: NonNullable<Parameters<typeof startSimulator>[0]>['scenario']) {
    const schema = `igflow_workers_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    const sim: Simulator = await startSimulator({ scenario: { quotaTotal: 100_000, ...scenario } });
    const store = postgresStore({ connectionString: PG_URL, schema });
    const producer = createEngine({ store, graph: { accessToken: env.IG_ACCESS_TOKEN, igUserId: env.IG_USER_ID, baseUrl: sim.url }, mediaChecks: false });
    const storeUrl = `${PG_URL}?schema=${schema}`;
    // the simulator's container cap is lifted for this load (2,000 posts on one account in minutes), and igflow's own budget with it
    const worker = (extra: string[] = []) => spawnCli(['work', '--store', storeUrl, '--graph-url', sim.url, '--poll-interval', '10', '--json', '--container-budget', '100000', ...extra], env);
    const close = async () => {
      await producer.shutdown();
      await store.close();
      await sim.close();
    };
    return { sim, store, producer, worker, close };
  }

  it('4 workers, SIGKILLed and restarted at random, publish 2,000 posts exactly once', async () => {
    const w = await world({ processing: { imageMs: [20, 20] }, containerCap: 100_000 });
    try {
      const started = Date.now();
      for (let i = 0; i < 2_000; i++) await w.producer.enqueue({ kind: 'image', id: `chaos-${i}`, imageUrl: `https://cdn.example/chaos/${i}.jpg`, caption: `chaos ${i}` });
      const workers = [0, 1, 2, 3].map(() => w.worker(['--concurrency', '25']));
      let kills = 0;
      const chaos = (async () => {
        while (w.sim.record.publishes.length < 2_000 && Date.now() - started < 150_000) {
          await pause(300 + Math.floor(Math.random() * 500));
          if (w.sim.record.publishes.length >= 2_000) break;
          const i = Math.floor(Math.random() * workers.length);
          workers[i]!.child.kill('SIGKILL');
          await workers[i]!.done;
          kills += 1;
          await pause(100);
          workers[i] = w.worker(['--concurrency', '25']);
        }
      })();
      await until(() => w.sim.record.publishes.length >= 2_000, 170_000, '2,000 publishes');
      await chaos;
      await pause(1_000); // a worker restarted last has its signal handlers in place
      for (const worker of workers) worker.child.kill('SIGTERM');
      const exits = await Promise.all(workers.map((worker) => worker.done));
      expect(exits.map((e) => e.code)).toEqual([75, 75, 75, 75]);

      const publishes = w.sim.record.publishes;
      expect(publishes).toHaveLength(2_000);
      expect(new Set(publishes.map((p) => p.containerId)).size).toBe(2_000);
      expect(w.sim.record.violations).toEqual([]);
    expect(judge(w.sim.record)).toEqual([]);
      expect(judge(w.sim.record)).toEqual([]);
      const { posts, problems } = await w.store.posts.list();
      expect(problems).toEqual([]);
      expect(posts.filter((p) => p.status === 'published')).toHaveLength(2_000);
      console.log(`workers: 2,000 posts published exactly once by 4 workers with ${kills} SIGKILLs and restarts, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await w.close();
    }
  }, 240_000);

  it('a worker frozen past its lease cannot write or publish for posts another worker took', async () => {
    const w = await world({ processing: { videoMs: [1_500, 1_500] } });
    try {
      for (let i = 0; i < 40; i++) await w.producer.enqueue({ kind: 'reel', id: `frozen-${i}`, videoUrl: `https://cdn.example/frozen/${i}.mp4`, caption: `frozen ${i}` });
      const frozen = w.worker(['--lease', '2000', '--concurrency', '40']);
      await until(() => (frozen.output().match(/"state":"polling"/g) ?? []).length >= 10, 30_000, 'the first worker to be polling');
      frozen.child.kill('SIGSTOP');
      const publishedBeforeFreeze = w.sim.record.publishes.length;
      const rescuer = w.worker(['--lease', '2000', '--concurrency', '40']);
      await until(() => w.sim.record.publishes.length >= 40, 60_000, 'the second worker to publish everything');
      frozen.child.kill('SIGCONT');
      await until(() => /"type":"interrupted"/.test(frozen.output()), 15_000, 'the thawed worker to notice it lost its posts').catch((err: unknown) => {
        throw new Error(`${String(err)}; its output ended with: ${frozen.output().slice(-1500)}`);
      });
      await pause(1_000);
      frozen.child.kill('SIGTERM');
      rescuer.child.kill('SIGTERM');
      await Promise.all([frozen.done, rescuer.done]);

      expect(w.sim.record.publishes).toHaveLength(40);
      expect(new Set(w.sim.record.publishes.map((p) => p.containerId)).size).toBe(40);
      expect(w.sim.record.violations).toEqual([]);
    expect(judge(w.sim.record)).toEqual([]);
      expect(judge(w.sim.record)).toEqual([]);
      const interrupted = frozen.output().split('\n').filter((line) => line.includes('"type":"interrupted"'));
      expect(interrupted.length).toBeGreaterThan(0);
      expect(interrupted.join('\n')).toMatch(/another worker holds this post|lease on this post ran out/);
      const { posts } = await w.store.posts.list();
      expect(posts.every((p) => p.status === 'published')).toBe(true);
      console.log(`frozen worker: ${publishedBeforeFreeze} published before the freeze, ${interrupted.length} of its posts refused after it thawed, 40 published once`);
    } finally {
      await w.close();
    }
  }, 120_000);
});
