import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { PollHistory } from '../../src/polling/poll-history.js';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { virtualEngine } from '../support/virtual-engine.js';

const UNIT = 5_000;
/** Every reel takes exactly 40 s to process: the seed reads at 5, 15, 30 and 50 s. */
const PROCESSING_MS = 40_000;

describe('an engine polling adaptively, against the simulator over loopback', () => {
  const sims: Simulator[] = [];
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    for (const sim of sims) {
      expect(judge(sim.record)).toEqual([]);
      expect(sim.record.violationsOf('poll-too-fast')).toEqual([]);
    }
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });

  async function engineOn(polling: 'adaptive' | 'seed' | undefined, pollHistory?: PollHistory) {
    const clock = new VirtualClock();
    const sim = await startSimulator({ clock, scenario: { pollFloorMs: UNIT, processing: { videoMs: [PROCESSING_MS, PROCESSING_MS] } } });
    sims.push(sim);
    const engine = virtualEngine({ store: memoryStore(), clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url }, pollIntervalMs: UNIT, ...(polling === undefined ? {} : { polling }), ...(pollHistory === undefined ? {} : { pollHistory }) });
    engines.push(engine);
    const publish = async (count: number) => {
      for (let n = 0; n < count; n += 1) {
        const handle = await engine.publish({ kind: 'reel', videoUrl: `https://cdn.example/${sims.length}-${n}.mp4`, caption: `reel ${n}` });
        await clock.run(handle.result);
      }
    };
    return { sim, publish };
  }

  /** Per container, in creation order: its status reads, and how late the read that saw it FINISHED came, from the simulator's record. */
  const readsOf = (sim: Simulator) =>
    sim.record.containers.map((c) => {
      const reads = sim.record.requestsTo('status').filter((r) => r.path.endsWith(`/${c.id}`));
      return { reads: reads.length, lagMs: reads.find((r) => r.at >= c.readyAt)!.at - c.readyAt };
    });

  it('reads a reel of a known processing time far less often once it has seen a few, and sees it finish no later', async () => {
    const seed = await engineOn('seed');
    const adaptive = await engineOn(undefined); // the default
    await seed.publish(12);
    await adaptive.publish(12);

    const bySeed = readsOf(seed.sim);
    expect(bySeed.map((c) => c.reads)).toEqual(Array(12).fill(4));
    expect(bySeed.every((c) => c.lagMs === 10_000)).toBe(true);

    const byAdaptive = readsOf(adaptive.sim);
    // no history for its first eight: exactly the seed's schedule
    expect(byAdaptive.slice(0, 8)).toEqual(bySeed.slice(0, 8));
    // then far fewer reads, and the finish seen sooner
    for (const c of byAdaptive.slice(8)) {
      expect(c.reads).toBeLessThanOrEqual(2);
      expect(c.lagMs).toBeLessThan(10_000);
    }
    const total = (list: readonly { reads: number }[]) => list.reduce((sum, c) => sum + c.reads, 0);
    expect(total(byAdaptive)).toBeLessThan(total(bySeed));
  });

  it('starts where another engine left off when handed its history', async () => {
    const history = new PollHistory();
    const first = await engineOn('adaptive', history);
    await first.publish(8);
    const restarted = await engineOn('adaptive', PollHistory.restore(JSON.parse(JSON.stringify(history.snapshot()))));
    await restarted.publish(1);
    const [only] = readsOf(restarted.sim);
    expect(only!.reads).toBeLessThanOrEqual(2);
  });
});
