import { virtualEngine } from '../support/virtual-engine.js';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { Engine } from '../../src/engine/engine.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { judge } from '../../src/sim/oracle.js';

describe('engines as workers sharing one store', () => {
  let sim: Simulator | undefined;
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    await sim?.close();
  });

  it('three workers share 60 posts: each published exactly once', async () => {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [3_000, 3_000] } } });
    const store: Store = memoryStore();
    const graph = { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url };
    const producer = virtualEngine({ store, clock, graph });
    engines.push(producer);
    // enqueued by one engine, left in the store for the workers
    for (let i = 0; i < 60; i++) await producer.enqueue({ kind: 'image', id: `w-${i}`, imageUrl: `https://cdn.example/${i}.jpg`, caption: `w ${i}` });
    expect(sim.record.requests).toHaveLength(0);
    await producer.shutdown();
    const workers = [0, 1, 2].map(() => virtualEngine({ store, clock, graph, leaseMs: 30_000 }));
    engines.push(...workers);
    const took = new Map<string, number>();
    workers.forEach((w, i) => w.events$.subscribe((e) => e.type === 'resumed' && took.set(e.postId, i)));
    const running = workers.map((w) => w.work({ concurrency: 8 }));
    await clock.run(
      new Promise<void>((resolve) => {
        const check = () => (sim!.record.publishes.length >= 60 ? resolve() : setTimeout(check, 5));
        check();
      }),
    );
    await Promise.all(workers.map((w) => w.shutdown()));
    await Promise.all(running);
    expect(sim.record.publishes).toHaveLength(60);
    expect(new Set(sim.record.publishes.map((p) => p.containerId)).size).toBe(60);
    expect(sim.record.violations).toEqual([]);
    expect(judge(sim.record)).toEqual([]);
    expect(new Set(took.values()).size).toBe(3);
    expect((await store.posts.list({ status: 'unfinished' })).posts).toHaveLength(0);
  });
});
