import { virtualEngine } from '../support/virtual-engine.js';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import { type Engine } from '../../src/engine/engine.js';
import { WORKER_POST_ID, type EngineEvent } from '../../src/engine/engine-events.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { flakyStore } from '../support/flaky-store.js';

/**
 * A worker whose store stops answering (on virtual time): it backs off,
 * says so once when the store goes and once when it is back, and takes up
 * again the posts it was running, without waiting for their leases to run out.
 */
const LEASE_MS = 60_000;

/** Resolves once `check` holds, polled on real time (so that a VirtualClock's run() moves time meanwhile). */
const until = (check: () => boolean) =>
  new Promise<void>((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 2));
    poll();
  });

describe('a worker whose store goes away and comes back', () => {
  let sim: Simulator | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.shutdown();
    await sim?.close();
  });

  async function world(imageMs: number) {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [imageMs, imageMs] } } });
    const inner = memoryStore();
    const flaky = flakyStore(inner, () => clock.now());
    engine = virtualEngine({ store: flaky.store, clock, leaseMs: LEASE_MS, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url } });
    const events: EngineEvent[] = [];
    engine.events$.subscribe((event) => events.push(event));
    const workerLines = () => events.flatMap((e) => (e.type === 'problem' && e.postId === WORKER_POST_ID ? [e.message] : []));
    return { clock, sim, inner, flaky, engine, events, workerLines };
  }

  it('backs off from 250 ms, doubling to 5 s, reports the outage and the recovery once each, then claims again', async () => {
    const w = await world(1_000);
    for (let i = 0; i < 3; i++) await w.engine.enqueue({ kind: 'image', id: `after-${i}`, imageUrl: `https://cdn.example/${i}.jpg`, caption: `after ${i}` });
    w.flaky.down = true;
    w.flaky.onFailure = (op, failures) => {
      if (op === 'queue.claim' && failures === 9) w.flaky.down = false; // the store answers the 10th try
    };
    const working = w.engine.work({ concurrency: 4 });
    await w.clock.run(until(() => w.sim.record.publishes.length >= 3));
    const tries = w.flaky.failedAt('queue.claim');
    expect(w.flaky.failed.every((f) => f.op === 'queue.claim')).toBe(true);
    expect(tries.slice(1).map((at, i) => at - tries[i]!)).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    expect(w.workerLines()).toEqual([
      'store unreachable: store unreachable (queue.claim): connect ECONNREFUSED; retrying in 250 ms, backing off to every 5.0 s, until it answers',
      'store reachable again after 27.8 s (9 failed tries); carrying on',
    ]);
    expect(w.sim.record.publishes).toHaveLength(3);
    await w.engine.shutdown();
    await working;
  });

  it('takes up the posts the outage stopped as soon as the store answers, while their old leases still run; each is published once', async () => {
    const w = await world(20_000);
    for (let i = 0; i < 4; i++) await w.engine.enqueue({ kind: 'image', id: `busy-${i}`, imageUrl: `https://cdn.example/busy/${i}.jpg`, caption: `busy ${i}` });
    const polling = new Set<string>();
    let leases = new Map<string, number | undefined>();
    let backAt = 0;
    // the store goes away once all 4 posts are polling their containers
    w.engine.events$.subscribe((e) => {
      if (e.type !== 'container' || e.state !== 'polling' || w.flaky.down || backAt > 0) return;
      polling.add(e.postId);
      if (polling.size < 4) return;
      w.flaky.down = true;
      // the leases the posts hold, read behind the outage's back (nothing reaches the real store while it lasts)
      void w.inner.posts.list({ status: 'unfinished' }).then(({ posts }) => (leases = new Map(posts.map((p) => [p.postId, p.lease?.until]))));
    });
    // every post stops on its first refused checkpoint; the store is back once all 4 have, and the worker has tried to claim 6 times
    w.flaky.onFailure = () => {
      if (w.flaky.failedAt('queue.save').length < 4 || w.flaky.failedAt('queue.claim').length < 6) return;
      backAt = w.clock.now();
      w.flaky.down = false;
    };
    const working = w.engine.work({ concurrency: 4 });
    const stopped = () => w.events.filter((e) => e.type === 'interrupted' && /the store failed/.test(e.reason));
    await w.clock.run(until(() => w.sim.record.publishes.length >= 4));

    expect(stopped()).toHaveLength(4);
    for (const interruption of stopped()) {
      const resumed = w.events.slice(w.events.indexOf(interruption)).find((e) => e.type === 'resumed' && e.postId === interruption.postId);
      expect(resumed, `post ${interruption.postId} was taken up again`).toBeDefined();
      expect(Date.parse(resumed!.at)).toBeLessThanOrEqual(backAt + 5_000); // within one backoff step
      // while its old lease still ran: claimDue would not have handed it out yet
      expect(leases.get(interruption.postId)).toBeGreaterThan(Date.parse(resumed!.at));
    }
    expect(w.sim.record.publishes).toHaveLength(4);
    expect(new Set(w.sim.record.publishes.map((p) => p.fingerprint)).size).toBe(4);
    expect(w.sim.record.violations).toEqual([]);
    expect(w.workerLines()).toHaveLength(2);
    await w.engine.shutdown();
    await working;
    expect((await w.inner.posts.list()).posts.map((p) => p.status)).toEqual(['published', 'published', 'published', 'published']);
  });
});
