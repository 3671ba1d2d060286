import { virtualEngine } from '../support/virtual-engine.js';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { judge } from '../../src/sim/oracle.js';

describe('a sequence of stories on the daily quota', () => {
  let sim: Simulator | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.shutdown();
    await sim?.close();
  });

  it('counts each story, waits on the quota where its story is, and says so', async () => {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { quotaTotal: 1, processing: { imageMs: [2_000, 2_000] } } });
    const store = memoryStore();
    engine = virtualEngine({ store, clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url } });
    const handle = await engine.publish({ kind: 'stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { imageUrl: 'https://cdn.example/s2.jpg' }] });
    const waiting = await clock.run(
      new Promise<{ reason: string }>((resolve) =>
        handle.events$.subscribe((e) => {
          if (e.type === 'waiting') resolve(e);
        }),
      ),
    );
    expect(waiting.reason).toBe('quota');
    expect(sim.record.publishes).toHaveLength(1);
    expect(judge(sim.record)).toEqual([]);
    expect((await engine.get(handle.postId))?.state).toBe('waitingQuota');
    // a day later the window frees a slot and the second story goes out
    const result = await clock.run(handle.result);
    expect(result.stories).toHaveLength(2);
    expect(sim.record.publishes).toHaveLength(2);
    expect(sim.record.publishes[1]!.at - sim.record.publishes[0]!.at).toBeGreaterThanOrEqual(86_400_000);
  });
});
