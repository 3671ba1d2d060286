import { virtualEngine } from '../support/virtual-engine.js';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Engine } from '../../src/engine/engine.js';
import type { PostHandle } from '../../src/engine/post-handle.js';
import { startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { judge } from '../../src/sim/oracle.js';
import { worstWindow } from '../support/moving-window.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const accountsOf = (...ids: string[]) => ids.map((igUserId) => ({ igUserId, token: `token-${igUserId}` }));

describe('quota, throttling and schedules (virtual time)', () => {
  let sim: Simulator | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.shutdown();
    await sim?.close();
  });

  async function setup(scenario: ScenarioInput, ids: string[] = ['17841400000000001'], quotas: Record<string, number> = {}) {
    const clock = new VirtualClock();
    sim = await startSimulator({
      clock,
      scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [60_000, 60_000], parentMs: [2_000, 2_000] }, ...scenario },
      accounts: accountsOf(...ids).map((a) => ({ ...a, ...(quotas[a.igUserId] === undefined ? {} : { quotaTotal: quotas[a.igUserId] }) })),
    });
    engine = virtualEngine({ store: memoryStore(), clock, graph: accountsOf(...ids).map((a) => ({ accessToken: a.token, igUserId: a.igUserId, baseUrl: sim!.url })) });
    return { clock, sim, engine };
  }

  it('keeps 150 posts spread over a day within a quota of 100 in every moving window, and publishes them all once', async () => {
    const { clock, sim, engine } = await setup({ quotaTotal: 100 });
    const start = clock.now();
    const handles: PostHandle[] = [];
    for (let i = 0; i < 150; i++) {
      const publishAt = new Date(start + HOUR + Math.floor((i * DAY) / 150)).toISOString();
      handles.push(await engine.publish({ kind: 'image', id: `q-${i}`, imageUrl: `https://cdn.example/${i}.jpg`, caption: `post ${i}`, publishAt }));
    }
    const results = await clock.run(Promise.all(handles.map((h) => h.result)), { stallMs: 20_000 });
    expect(results).toHaveLength(150);
    const publishes = sim.record.publishes;
    expect(publishes).toHaveLength(150);
    expect(new Set(publishes.map((p) => p.containerId)).size).toBe(150);
    expect(sim.record.violations).toEqual([]);
    expect(judge(sim.record)).toEqual([]);
    // igflow kept to the quota itself: Instagram never had to refuse a publish
    expect(sim.record.requests.filter((r) => r.endpoint === 'publish' && r.status !== 200)).toEqual([]);
    const worst = worstWindow(publishes.map((p) => p.at));
    expect(worst).toBeLessThanOrEqual(100);
    expect(worst).toBe(100);
    const last = Math.max(...publishes.map((p) => p.at));
    console.log(`quota: 150 posts, worst moving-24h window ${worst}/100, last publish ${((last - start) / HOUR).toFixed(1)} h after the first schedule`);
  }, 120_000);

  it.each(['image', 'carousel'] as const)('makes a new %s container when a quota wait outlasts the old one, and publishes it once', async (kind) => {
    const { clock, sim, engine } = await setup({}, undefined, { '17841400000000001': 1 });
    const first = await engine.publish({ kind: 'image', id: 'first', imageUrl: 'https://cdn.example/first.jpg' });
    const items = [{ imageUrl: 'https://cdn.example/c1.jpg' }, { imageUrl: 'https://cdn.example/c2.jpg' }];
    const spec = kind === 'image' ? { kind, id: 'second', imageUrl: 'https://cdn.example/second.jpg' } : { kind, id: 'second', items };
    // its container is made before the quota is known to be full: it waits a day, and the container dies meanwhile
    const second = await engine.publish(spec);
    await clock.run(Promise.all([first.result, second.result]), { stallMs: 20_000 });
    expect(sim.record.publishes).toHaveLength(2);
    const [, late] = sim.record.publishes;
    const used = sim.record.containers.find((c) => c.id === late!.containerId)!;
    // published within the new container's life, a day after the first
    expect(late!.at - used.createdAt).toBeLessThan(DAY);
    expect(late!.at - sim.record.publishes[0]!.at).toBeGreaterThanOrEqual(DAY);
    expect(sim.record.requests.filter((r) => r.endpoint === 'publish' && r.status !== 200)).toEqual([]);
    expect(sim.record.violations).toEqual([]);
    expect(judge(sim.record)).toEqual([]);
  });

  it('slows the whole account down in a 10-minute throttle storm, loses and doubles nothing', async () => {
    const { clock, sim, engine } = await setup({ throttleWindow: { fromMs: 10 * 60_000, untilMs: 20 * 60_000, code: 80002 } });
    const start = clock.now();
    const handles: PostHandle[] = [];
    for (let i = 0; i < 20; i++) {
      const publishAt = new Date(start + 5 * 60_000 + i * 30_000).toISOString(); // 5 to 15 minutes in: many meet the storm
      handles.push(await engine.publish({ kind: 'reel', id: `t-${i}`, videoUrl: `https://cdn.example/${i}.mp4`, caption: `reel ${i}`, publishAt }));
    }
    const results = await clock.run(Promise.all(handles.map((h) => h.result)), { stallMs: 20_000 });
    expect(results).toHaveLength(20);
    expect(sim.record.publishes).toHaveLength(20);
    expect(new Set(sim.record.publishes.map((p) => p.containerId)).size).toBe(20);
    expect(sim.record.violations).toEqual([]);
    expect(judge(sim.record)).toEqual([]);
    const perMinute = new Map<number, number>();
    for (const r of sim.record.requests) perMinute.set(Math.floor((r.at - start) / 60_000), (perMinute.get(Math.floor((r.at - start) / 60_000)) ?? 0) + 1);
    const stormMinutes = [...perMinute.entries()].filter(([m]) => m >= 10 && m < 20);
    const stormPeak = Math.max(0, ...stormMinutes.map(([, n]) => n));
    const beforePeak = Math.max(0, ...[...perMinute.entries()].filter(([m]) => m < 10).map(([, n]) => n));
    const throttled = sim.record.requests.filter((r) => r.status !== 200 && r.at - start >= 10 * 60_000 && r.at - start < 20 * 60_000);
    // The first throttled answers say access returns at the storm's end: after them, the account stops calling.
    const firstThrottle = Math.min(...throttled.map((r) => r.at));
    const afterFirst = sim.record.requests.filter((r) => r.at > firstThrottle && r.at - start < 20 * 60_000);
    expect(afterFirst).toEqual([]);
    // and it comes back at an ordinary pace: a few requests per post, no polling storm of its own
    expect(sim.record.requests.length).toBeLessThanOrEqual(20 * 8);
    console.log(
      `throttle storm: peak ${beforePeak} requests/min before, ${stormPeak} requests/min during (${throttled.length} throttled answers, all in the storm's first instant), ${sim.record.requests.length} requests in all`,
    );
  }, 120_000);

  it('creates a reel scheduled 3 days ahead only shortly before its time, and publishes it on time', async () => {
    const { clock, sim, engine } = await setup({});
    const publishAt = clock.now() + 3 * DAY;
    const handle = await engine.publish({ kind: 'reel', videoUrl: 'https://cdn.example/later.mp4', caption: 'in three days', publishAt: new Date(publishAt).toISOString() });
    await clock.run(handle.result);
    const [container] = sim.record.containers;
    expect(sim.record.containers).toHaveLength(1);
    expect(container!.createdAt).toBeGreaterThanOrEqual(publishAt - HOUR);
    expect(container!.createdAt).toBeLessThan(publishAt);
    const [publish] = sim.record.publishes;
    expect(publish!.at).toBeGreaterThanOrEqual(publishAt);
    expect(publish!.at - publishAt).toBeLessThanOrEqual(5_000);
    expect(judge(sim.record)).toEqual([]);
    console.log(`scheduled reel: container created ${(publishAt - container!.createdAt) / 60_000} min ahead, published ${(publish!.at - publishAt) / 1000} s after publishAt`);
  });

  it('publishes a post 2 days late now, and says so', async () => {
    const { clock, engine } = await setup({});
    const publishAt = new Date(clock.now() - 2 * DAY).toISOString();
    const handle = await engine.publish({ kind: 'image', imageUrl: 'https://cdn.example/late.jpg', publishAt });
    const events: string[] = [];
    handle.events$.subscribe((e) => events.push(e.type));
    await clock.run(handle.result);
    expect(events).toContain('late');
  });

  it('keeps one account’s throttling and quota from slowing the others', async () => {
    const [a, b, c] = ['17841400000000011', '17841400000000012', '17841400000000013'];
    const spec = (i: number) => ({ kind: 'image', imageUrl: `https://cdn.example/${i}.jpg`, caption: `mixed ${i}` });
    // Alone: how fast account C publishes three posts.
    const alone = await setup({}, [c]);
    const soloHandles = await Promise.all([0, 1, 2].map((i) => alone.engine.publish(spec(i), { account: c })));
    await alone.clock.run(Promise.all(soloHandles.map((h) => h.result)));
    const soloTimes = alone.sim.record.publishes.map((p) => p.at - alone.clock.now());
    const soloSpan = Math.max(...alone.sim.record.publishes.map((p) => p.at)) - Math.min(...alone.sim.record.requests.map((r) => r.at));
    await engine!.shutdown();
    await sim!.close();

    // Together: A is throttled for half an hour, B has a quota of one.
    const together = await setup(
      { faults: [{ endpoint: 'status', account: a, times: 3, fault: { type: 'throttle', code: 80002, regainAfterMinutes: 30 } }] },
      [a, b, c],
      { [b]: 1 },
    );
    const t0 = together.clock.now();
    const handles = await Promise.all(
      [a, b, c].flatMap((account) => [0, 1, 2].map((i) => together.engine.publish(spec(i), { account }))),
    );
    const cDone = Promise.all(handles.slice(6).map((h) => h.result));
    await together.clock.run(cDone);
    const cSpan = together.clock.now() - t0;
    expect(cSpan).toBeLessThanOrEqual(soloSpan + 5_000);
    // A waited out its throttle, B its quota: neither is done when C is
    expect(together.sim.record.publishesOf(a).length).toBeLessThan(3);
    expect(together.sim.record.publishesOf(b)).toHaveLength(1);
    expect(judge(together.sim.record)).toEqual([]);
    console.log(`three accounts: C published 3 posts in ${cSpan / 1000} s (alone: ${soloSpan / 1000} s; ${soloTimes.length} posts) while A was throttled and B over quota`);
  }, 60_000);
});
