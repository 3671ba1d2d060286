import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/adapters/postgres/postgres-store.js';
import { createEngine } from '../../src/engine/engine.js';
import { DEFAULT_ACCOUNT, startSimulator } from '../../src/sim/simulator.js';
import { adminPool, assertPostgresReachable, closeAdminPool, PG_URL } from '../adapters/fixtures/postgres-schema.js';
import { interceptedStore } from '../support/intercepted-store.js';

/** Resolves once `check` holds, looking each time the event loop turns (no fixed sleep). */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('an idle worker on PostgreSQL', () => {
  const schemas: string[] = [];
  beforeAll(assertPostgresReachable);
  afterAll(async () => {
    for (const schema of schemas) await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await closeAdminPool();
  });

  it('told of posts parked for later, does not look for work until one is due', async () => {
    const schema = `igflow_idle_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    const sim = await startSimulator();
    const graph = { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url };
    const producerStore = postgresStore({ connectionString: PG_URL, schema });
    const producer = createEngine({ store: producerStore, graph, mediaChecks: false });
    const looks: string[] = [];
    const workerStore = interceptedStore(postgresStore({ connectionString: PG_URL, schema }), (op, proceed) => {
      if (op === 'queue.claim' || op === 'queue.nextDueAt') looks.push(op);
      return proceed();
    });
    const worker = createEngine({ store: workerStore, graph, mediaChecks: false, pollIntervalMs: 10 });
    try {
      // the idle poll is an hour away: whatever the worker does here, a notification made it do
      const working = worker.work({ concurrency: 4, idleMs: 3_600_000 });
      // a due post, claimed only once the worker hears of it: it is listening
      await producer.enqueue({ kind: 'image', id: 'first', imageUrl: 'https://cdn.example/first.jpg' });
      await until(() => sim.record.publishes.length === 1, 'the first post');
      await until(() => looks.length >= 4, 'the look after the first post ended');
      const before = looks.length;
      const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
      // the producer takes these up itself and parks them until their time: each park is announced to the worker
      for (let i = 0; i < 20; i++) await producer.publish({ kind: 'image', id: `later-${i}`, imageUrl: `https://cdn.example/l${i}.jpg`, publishAt: later });
      const parked = async () => (await producerStore.posts.list({ status: 'unfinished' })).posts.filter((p) => p.wakeAt !== undefined && p.lease === undefined).length;
      for (let n = await parked(); n < 20; n = await parked()) await new Promise((resolve) => setImmediate(resolve));
      await producer.enqueue({ kind: 'image', id: 'now', imageUrl: 'https://cdn.example/now.jpg' });
      await until(() => sim.record.publishes.length === 2, 'the second due post');
      const looked = looks.length - before;
      // one look for the due post and one after it ended, each a claim and maybe a nextDueAt; not one per parked post
      expect(looked).toBeLessThanOrEqual(6);
      expect(sim.record.publishes.map((p) => p.containerId)).toHaveLength(2);
      expect(sim.record.containers).toHaveLength(2);
      console.log(`idle worker: ${looked} store looks while 20 posts were parked for later and 1 came due`);
      await worker.shutdown();
      await working;
    } finally {
      await worker.shutdown();
      await producer.shutdown();
      await producerStore.close();
      await workerStore.close();
      await sim.close();
    }
  });
});
