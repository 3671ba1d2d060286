import { virtualEngine } from '../support/virtual-engine.js';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { Engine } from '../../src/engine/engine.js';
import { createGraphClient } from '../../src/graph/client.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { watchDurability } from '../support/durable-intent.js';

/**
 * Guarantees the fault points cannot show by themselves, each judged by
 * what Instagram saw: a generic ERROR is cured by a new container, the
 * media id named is the post's own even when newer media come first, and
 * the runner's poll unit governs posts another engine stored.
 */
const graph = (sim: Simulator) => ({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url });
const image = { kind: 'image', id: 'g-image', imageUrl: 'https://cdn.example/g.jpg', caption: 'guarantee' };

describe('guarantees judged by what Instagram saw', () => {
  let sim: Simulator | undefined;
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    await sim?.close();
  });

  async function world(scenario: ScenarioInput = {}, store: Store = memoryStore()) {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [30_000, 30_000], parentMs: [2_000, 2_000] }, ...scenario } });
    const durability = watchDurability(sim, store);
    const engine = (options: object = {}) => {
      const made = virtualEngine({ store, clock, graph: graph(sim!), ...options });
      engines.push(made);
      return made;
    };
    const verdict = (posts: ReturnType<typeof expectedPost>[]) => [...judge(sim!.record, { posts }).map((v) => `${v.rule}: ${v.detail}`), ...durability.violations];
    return { clock, sim, store, engine, verdict, durability };
  }

  it('cures a generic ERROR (no subcode) with a new container, and publishes once', async () => {
    const { clock, sim, engine, verdict } = await world({ faults: [{ endpoint: 'create', fault: { type: 'containerError', generic: true } }] });
    const handle = await engine().publish(image);
    const result = await clock.run(handle.result);
    expect(sim.record.containers).toHaveLength(2);
    expect(sim.record.containers[0]!.outcome).toEqual({ type: 'error', subcode: undefined });
    expect(sim.record.publishes).toEqual([expect.objectContaining({ containerId: sim.record.containers[1]!.id, mediaId: result.mediaId })]);
    expect(verdict([expectedPost('g-image', image)])).toEqual([]);
  });

  it('names its own media after a publish whose answer was lost, even when a newer post of the account comes first', async () => {
    const { clock, sim, engine, verdict, durability } = await world();
    sim.inject({ endpoint: 'publish', fault: { type: 'lostResponse' } });
    // right after the lost answer, someone else publishes on the same account: the media list starts with their post
    sim.hooks.beforeRespond = async (req) => {
      if (req.endpoint !== 'publish' || req.seq > 4) return;
      sim.hooks.beforeRespond = undefined;
      const other = createGraphClient(graph(sim));
      await durability.outside(async () => {
        clock.advanceBy(1_000);
        const id = await other.createContainer({ image_url: 'https://cdn.example/someone-else.jpg', caption: 'another app' });
        clock.advanceBy(5_000);
        await other.publish(id);
      });
      await other.close();
    };
    const handle = await engine().publish(image);
    const result = await clock.run(handle.result);
    const mine = sim.record.publishes.find((p) => p.containerId === result.containerId);
    expect(sim.record.publishes).toHaveLength(2);
    expect(sim.record.media.at(-1)!.caption).toBe('another app');
    expect(result.mediaId).toBe(mine!.mediaId);
    expect(verdict([expectedPost('g-image', image)])).toEqual([]);
  });

  it("polls a post another engine stored at the resuming engine's own unit", async () => {
    const store = memoryStore();
    const { clock, sim, engine, verdict } = await world({ processing: { videoMs: [300, 300] } }, store);
    const reel = { kind: 'reel', id: 'g-reel', videoUrl: 'https://cdn.example/g.mp4' };
    await engine({ pollIntervalMs: 5_000 }).enqueue(reel);
    const [handle] = await engine({ pollIntervalMs: 20 }).resumeAll();
    await clock.run(handle!.result);
    const [created] = sim.record.containers;
    const [published] = sim.record.publishes;
    // at the stored engine's 5 s unit the first poll alone would come 5 s after the create
    expect(published!.at - created!.createdAt).toBeLessThan(1_000);
    expect(sim.record.count('status')).toBeGreaterThan(1);
    expect(verdict([expectedPost('g-reel', reel)])).toEqual([]);
  });
});
