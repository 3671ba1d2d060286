import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { virtualEngine } from '../support/virtual-engine.js';
import { worstWindow } from '../support/moving-window.js';
import { assertPostgresReachable, closeAdminPool } from '../adapters/fixtures/postgres-schema.js';
import { storeObjects } from '../support/store-objects.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('the container budget (400 per moving 24 h, here 3)', () => {
  beforeAll(assertPostgresReachable);
  afterAll(closeAdminPool);

  it.each(['memory', 'file', 'postgres'] as const)('%s: two workers, a post waits instead of creating the container over the budget, and goes once the window frees a slot', async (kind) => {
    const clock = new VirtualClock();
    // Instagram's cap, made small: the 4th create in 24 h would be refused
    const sim = await startSimulator({ clock, scenario: { containerCap: 3, processing: { imageMs: [2_000, 2_000] } } });
    const { stores, cleanup } = await storeObjects[kind](2);
    const graph = { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url };
    const workers = stores.map((store) => virtualEngine({ store, clock, graph, containerBudget: 3, leaseMs: 30_000 }));
    try {
      const start = clock.now();
      for (let i = 0; i < 5; i++) await workers[0]!.enqueue({ kind: 'image', id: `budget-${i}`, imageUrl: `https://cdn.example/budget/${i}.jpg`, caption: `budget ${i}` });
      // a day of virtual waiting: an idle look every 5 virtual minutes, not every 5 s (each look is real I/O on file and PostgreSQL)
      const running = workers.map((w) => w.work({ concurrency: 5, idleMs: 5 * 60_000 }));
      await clock.run(
        (async () => {
          while (sim.record.publishes.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
        })(),
      );
      const creates = sim.record.requests.filter((r) => r.endpoint === 'create');
      // every create igflow sent made a container: none was refused over the cap
      expect(creates.filter((r) => r.status !== 200)).toEqual([]);
      expect(creates).toHaveLength(5);
      expect(worstWindow(creates.map((r) => r.at))).toBeLessThanOrEqual(3);
      const late = creates.filter((r) => r.at - start > DAY);
      expect(late).toHaveLength(2);
      expect(sim.record.publishes).toHaveLength(5);
      expect(new Set(sim.record.publishes.map((p) => p.containerId)).size).toBe(5);
      expect(judge(sim.record)).toEqual([]);
      console.log(`container budget (${kind}): 3 containers at once, the other 2 created ${((Math.min(...late.map((r) => r.at)) - start) / HOUR).toFixed(1)} h later; 0 creates refused, 5 published once`);
      await Promise.all(workers.map((w) => w.shutdown()));
      await Promise.all(running);
    } finally {
      await Promise.all(workers.map((w) => w.shutdown()));
      await cleanup();
      await sim.close();
    }
  }, 60_000);
});
