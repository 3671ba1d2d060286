import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/adapters/store.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { judge } from '../../src/sim/oracle.js';
import type { RequestRecord } from '../../src/sim/record.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { assertPostgresReachable, closeAdminPool } from '../adapters/fixtures/postgres-schema.js';
import { storeObjects } from '../support/store-objects.js';

/**
 * Issue 18: one brake per account, in the store. Three workers (engines
 * with their own store objects: on PostgreSQL, their own pools and LISTEN
 * connections, as separate processes have) share one account, each with a
 * token of its own so the simulator's record tells who sent what. After
 * the first throttle answer, Instagram holds the account blocked for 3 s;
 * no worker may send a request to it until then, except those already in
 * flight when the answer came back. Real time: the brake travels by NOTIFY
 * on PostgreSQL, by `brakes.json` (read before each call) on the file store.
 */
const ACCOUNT = '17841400000000001';
const WORKERS = ['w0', 'w1', 'w2'] as const;
/** Requests sent before a worker could have heard of the block: the throttle answer's trip to the store and the NOTIFY's to the others. */
const IN_FLIGHT_MS = 100;
const BLOCK_MINUTES = 0.05; // 3 s
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

/** Per worker: requests of the account that arrived after the first throttle answer and before the block ended, and those of them past the in-flight grace. */
function duringBlock(requests: readonly RequestRecord[]) {
  const first = requests.find((r) => r.answer?.throttledUntil !== undefined);
  if (first === undefined) throw new Error('no request was throttled: the test saw no block');
  const until = first.answer!.throttledUntil!;
  const during = requests.filter((r) => r.seq > first.seq && r.at < until && r.account === ACCOUNT);
  const per = (list: readonly RequestRecord[]) => WORKERS.map((w) => list.filter((r) => r.client === w).length);
  return { first, all: per(during), late: per(during.filter((r) => r.at > first.at + IN_FLIGHT_MS)) };
}

describe('one brake per account for every worker sharing the store', () => {
  beforeAll(assertPostgresReachable);
  afterAll(closeAdminPool);

  it.each(['postgres', 'file', 'memory'] as const)('%s: after the first throttle answer, no worker calls the account until the block ends; every post once', async (kind) => {
    const sim = await startSimulator({
      accounts: [{ igUserId: ACCOUNT, token: 'producer-token', clients: { w0: 'token-w0', w1: 'token-w1', w2: 'token-w2' } }],
      scenario: {
        processing: { imageMs: [1_500, 1_500] },
        faults: [{ endpoint: 'status', nth: 12, fault: { type: 'throttle', code: 17, regainAfterMinutes: BLOCK_MINUTES, hold: true } }],
      },
    });
    const { stores: [producerStore, ...workerStores], cleanup } = await storeObjects[kind](4);
    const engine = (store: Store, token: string): Engine => createEngine({ store, graph: { accessToken: token, igUserId: ACCOUNT, baseUrl: sim.url }, pollIntervalMs: 300, mediaChecks: false });
    const producer = engine(producerStore!, 'producer-token');
    const workers = workerStores.map((store, i) => engine(store, `token-w${i}`));
    try {
      for (let i = 0; i < 12; i++) await producer.enqueue({ kind: 'image', id: `brake-${i}`, imageUrl: `https://cdn.example/brake/${i}.jpg`, caption: `brake ${i}` });
      const running = workers.map((w) => w.work({ concurrency: 1 }));
      // Instagram's 12 publishes, then the workers' writes of them (shut down before, a post is left to verify on resume)
      const published = async () => (await producerStore!.posts.list()).posts.filter((p) => p.status === 'published').length;
      await until(async () => sim.record.publishes.length >= 12 && (await published()) >= 12, 80_000, '12 publishes, stored');
      await Promise.all(workers.map((w) => w.shutdown()));
      await Promise.all(running);

      const { first, all, late } = duringBlock(sim.record.requests);
      console.log(`shared brake (${kind}): the first throttle answer (request ${first.seq}, ${first.client}) blocked the account ${(first.answer!.throttledUntil! - first.at) / 1000} s; requests during the block per worker ${all.join(', ')} (in flight), ${late.join(', ')} after ${IN_FLIGHT_MS} ms`);
      expect(late).toEqual([0, 0, 0]);
      expect(judge(sim.record, { inFlightMs: IN_FLIGHT_MS })).toEqual([]);
      const publishes = sim.record.publishes;
      expect(publishes).toHaveLength(12);
      expect(new Set(publishes.map((p) => p.containerId)).size).toBe(12);
      // every worker took part, so the brake was shared, not one worker's alone
      expect(new Set(sim.record.requests.filter((r) => r.endpoint === 'publish').map((r) => r.client)).size).toBe(3);
      // the shared brake is a new output channel: it carries times and counts, never a token
      const brakes = await producerStore!.brakes.read();
      expect(brakes.map((b) => b.key)).toContain(`account:${ACCOUNT}`);
      expect(JSON.stringify(brakes)).not.toMatch(/token/);
      const { posts } = await producerStore!.posts.list();
      expect(posts.filter((p) => p.status === 'published')).toHaveLength(12);
    } finally {
      await Promise.all([producer, ...workers].map((w) => w.shutdown()));
      await cleanup();
      await sim.close();
    }
  }, 90_000);
});
