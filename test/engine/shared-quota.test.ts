import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { SlotAnswer, SlotRequest, Store } from '../../src/adapters/store.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { heldDispatcher, heldStore } from '../support/held.js';
import { interceptedStore } from '../support/intercepted-store.js';
import { virtualEngine } from '../support/virtual-engine.js';
import { worstWindow } from '../support/moving-window.js';
import { assertPostgresReachable, closeAdminPool } from '../adapters/fixtures/postgres-schema.js';
import { storeObjects } from '../support/store-objects.js';

/**
 * Issue 18: an exact quota across workers. Instagram allows 5 publishes a
 * day and already counts 3 that the store's ledger never saw. Three
 * workers share 6 posts, and their quota checks are forced to race: each
 * worker's first publish-slot request is held until all three are asking, then
 * all go to the store at once. The reservation is one atomic store
 * operation, so 2 publish, Instagram refuses none, and the other 4 wait
 * until the moving window frees room. On every store; on PostgreSQL the
 * workers' store objects have their own pools, as three processes would.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const graph = (baseUrl: string) => ({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl });

/** Store objects whose first `n` publish-slot requests (container slots go by) wait for each other, then go to the store together. */
function racing(stores: readonly Store[]): Store[] {
  const waiting: Array<() => void> = [];
  let raced = false;
  return stores.map((store) =>
    interceptedStore(store, (op, proceed, args) => {
      if (op !== 'ledger.takeSlot' || (args[0] as SlotRequest).kind !== 'publish' || raced) return proceed();
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === stores.length) {
          raced = true;
          for (const go of waiting) go();
        }
      }).then(() => proceed() as Promise<SlotAnswer>);
    }),
  );
}

describe('an exact quota across workers', () => {
  beforeAll(assertPostgresReachable);
  afterAll(closeAdminPool);

  it.each(['memory', 'file', 'postgres'] as const)('%s: quota 5 with 3 used, 6 posts, 3 workers whose checks race: 2 publish, none refused, 4 wait; when the window moves they go', async (kind) => {
    const clock = new VirtualClock();
    const sim = await startSimulator({ clock, scenario: { quotaTotal: 5, processing: { imageMs: [2_000, 2_000] } } });
    const engines: Engine[] = [];
    // three store objects, as three worker processes have: on PostgreSQL each its own pool and LISTEN connection
    const { stores, cleanup } = await storeObjects[kind](3);
    try {
      // 3 publishes Instagram counts and the shared ledger does not know (another app, another store)
      const elsewhere = virtualEngine({ store: memoryStore(), clock, graph: graph(sim.url) });
      engines.push(elsewhere);
      const before = await Promise.all([0, 1, 2].map((i) => elsewhere.publish({ kind: 'image', id: `before-${i}`, imageUrl: `https://cdn.example/before/${i}.jpg`, caption: `before ${i}` })));
      await clock.run(Promise.all(before.map((h) => h.result)));
      const usedAt = clock.now();

      const producer = virtualEngine({ store: stores[0]!, clock, graph: graph(sim.url) });
      engines.push(producer);
      for (let i = 0; i < 6; i++) await producer.enqueue({ kind: 'image', id: `race-${i}`, imageUrl: `https://cdn.example/race/${i}.jpg`, caption: `race ${i}` });
      await producer.shutdown();
      // the race wrapper outside the clock's holding: a worker waiting for the others lets virtual time run
      const dispatcher = heldDispatcher(clock);
      const workers = racing(stores.map((s) => heldStore(s, clock))).map((store) =>
        createEngine({ store, clock, graph: { ...graph(sim.url), dispatcher }, leaseMs: 2 * DAY, mediaChecks: false }),
      );
      engines.push(...workers);
      // A day of virtual waiting: an idle look every 5 virtual minutes, not every 5 s (each look is real I/O on file and
      // PostgreSQL). Not rarer: the clock jumps to the next timer whenever nothing holds it, and a jump longer than a publish
      // reservation (10 min) in a gap between a publish's held steps would free its slot early, a harness artefact.
      const running = workers.map((w) => w.work({ concurrency: 2, idleMs: 5 * 60_000 }));

      // parked posts wake every hour to look at the quota again: the count is read at one instant, with the publishes
      const waitingQuota = async () => (await stores[0]!.posts.list({ status: 'unfinished' })).posts.filter((p) => p.waitReason === 'quota').length;
      let waiting = 0;
      let firstDay = 0;
      await clock.run(
        (async () => {
          const deadline = Date.now() + 40_000;
          for (;;) {
            firstDay = sim.record.publishes.length - 3;
            waiting = await waitingQuota();
            if ((firstDay >= 2 && waiting >= 4) || Date.now() > deadline) break;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        })(),
      );
      // what Instagram answered to each refused publish, so a failure says why (quota 2207042, an expired container…)
      const refusals = sim.record.requests.filter((r) => r.endpoint === 'publish' && r.status !== 200).map((r) => ({ at: r.at - usedAt, status: r.status, code: r.answer?.errorCode, subcode: r.answer?.errorSubcode }));
      const refused = refusals.length;
      expect(firstDay).toBe(2);
      expect(refusals).toEqual([]);
      expect(waiting).toBe(4);
      expect(clock.now() - usedAt).toBeLessThan(DAY);

      await clock.run(
        (async () => {
          const deadline = Date.now() + 40_000;
          while (sim.record.publishes.length < 9 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        })(),
        { stallMs: 20_000 },
      );
      const publishes = sim.record.publishes;
      expect(publishes).toHaveLength(9);
      expect(new Set(publishes.map((p) => p.containerId)).size).toBe(9);
      expect(worstWindow(publishes.map((p) => p.at))).toBeLessThanOrEqual(5);
      expect(sim.record.requests.filter((r) => r.endpoint === 'publish' && r.status !== 200)).toEqual([]);
      expect(judge(sim.record)).toEqual([]);
      const last = Math.max(...publishes.map((p) => p.at));
      console.log(`exact quota (${kind}): ${firstDay} published while 3 of 5 were used, ${refused} refused by Instagram, ${waiting} waiting; all 6 published once, the last ${((last - usedAt) / HOUR).toFixed(1)} h later, never more than ${worstWindow(publishes.map((p) => p.at))} in 24 h`);
      await Promise.all(workers.map((w) => w.shutdown()));
      await Promise.all(running);
    } finally {
      await Promise.all(engines.map((e) => e.shutdown()));
      await cleanup();
      await sim.close();
    }
  }, 120_000);
});
