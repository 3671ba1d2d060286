import { firstValueFrom, filter } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { Engine } from '../../src/engine/engine.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { virtualEngine } from '../support/virtual-engine.js';

/**
 * Managing posts (issue 17): rescheduling a post from a second engine sharing the store,
 * judged by what Instagram saw: the post goes live at the new time, never
 * before; its container is kept when it will still be alive then (24 h
 * from its creation), and a new one is made ahead of the new time
 * otherwise, so the post still goes live on time.
 */
const START = Date.UTC(2026, 0, 1);
const TOKEN = DEFAULT_ACCOUNT.token;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface World {
  readonly clock: VirtualClock;
  readonly sim: Simulator;
  readonly store: Store;
  readonly holder: Engine;
  readonly other: Engine;
}

let world: World | undefined;
afterEach(async () => {
  if (world === undefined) return;
  await world.clock.run(Promise.all([world.holder.shutdown(), world.other.shutdown()]));
  await world.sim.close();
  world = undefined;
});

async function setUp(): Promise<World> {
  const clock = new VirtualClock(START);
  const sim = await startSimulator({ clock, scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [20_000, 20_000], parentMs: [2_000, 2_000] } } });
  const store = memoryStore();
  const graph = { accessToken: TOKEN, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url };
  world = { clock, sim, store, holder: virtualEngine({ store, clock, graph, owner: 'holder', secrets: [TOKEN] }), other: virtualEngine({ store, clock, graph, owner: 'other', secrets: [TOKEN] }) };
  return world;
}

const image = (id: string, publishAt: number) => ({ kind: 'image', id, imageUrl: `https://cdn.example/${id}.jpg`, caption: id, publishAt: iso(publishAt) });

/** Publishes `spec` on the holder and runs virtual time until its container is FINISHED and it waits for publishAt. */
async function untilReady(w: World, spec: Record<string, unknown>) {
  const handle = await w.holder.publish(spec);
  await w.clock.run(firstValueFrom(handle.events$.pipe(filter((e) => e.type === 'state' && e.state === 'ready'))));
  return handle;
}

describe('reschedule, from another engine, judged by what Instagram saw', () => {
  it('keeps the container when it is still alive at the new time, and publishes then, not before', async () => {
    const w = await setUp();
    const handle = await untilReady(w, image('r-keep', START + 2 * HOUR));
    expect(w.sim.record.containers).toHaveLength(1);
    expect(await w.other.reschedule('r-keep', iso(START + 5 * HOUR))).toEqual({ rescheduled: true, postId: handle.postId, publishAt: START + 5 * HOUR });
    const result = await w.clock.run(handle.result);
    expect(result.mediaId).toBeDefined();
    expect(w.sim.record.containers).toHaveLength(1);
    const [publish] = w.sim.record.publishes;
    expect(publish!.at).toBeGreaterThanOrEqual(START + 5 * HOUR);
    expect(publish!.at - (START + 5 * HOUR)).toBeLessThan(60_000);
    expect(judge(w.sim.record, { posts: [expectedPost('r-keep', image('r-keep', 0) as never)] })).toEqual([]);
    expect(await w.other.get(handle.postId)).toMatchObject({ status: 'published', publishAt: START + 5 * HOUR, spec: { publishAt: iso(START + 5 * HOUR) } });
  });

  it('makes a new container ahead of a new time past the first one’s life, so the post still goes live on time', async () => {
    const w = await setUp();
    const handle = await untilReady(w, image('r-new', START + 2 * HOUR));
    const first = w.sim.record.containers[0]!;
    const later = START + 3 * 24 * HOUR;
    expect(await w.other.reschedule('r-new', later)).toMatchObject({ rescheduled: true });
    await w.clock.run(handle.result);
    expect(w.sim.record.containers).toHaveLength(2);
    const [publish] = w.sim.record.publishes;
    const made = w.sim.record.containers.find((c) => c.id === publish!.containerId)!;
    // the first container is left to expire; the published one was made ahead of the new time, within its life
    expect(made.id).not.toBe(first.id);
    expect(made.createdAt).toBeLessThan(later);
    expect(made.createdAt).toBeGreaterThan(later - 24 * HOUR);
    expect(publish!.at).toBeGreaterThanOrEqual(later);
    expect(publish!.at - later).toBeLessThan(1_000);
    expect(judge(w.sim.record, { posts: [expectedPost('r-new', image('r-new', 0) as never)] })).toEqual([]);
  });

  it('moves a scheduled post earlier, before any container, and it goes live at the earlier time', async () => {
    const w = await setUp();
    const handle = await w.holder.publish(image('r-early', START + 3 * 24 * HOUR));
    await w.clock.run(firstValueFrom(handle.events$.pipe(filter((e) => e.type === 'waiting'))));
    expect(await w.other.reschedule('r-early', START + 2 * HOUR)).toMatchObject({ rescheduled: true });
    // the holder parked the post for its old time: a worker takes it up now and waits for the new one
    void w.other.work({ concurrency: 1 });
    await w.clock.run(firstValueFrom(w.other.events$.pipe(filter((e) => e.type === 'published'))));
    const [publish] = w.sim.record.publishes;
    expect(publish!.at).toBeGreaterThanOrEqual(START + 2 * HOUR);
    expect(publish!.at - (START + 2 * HOUR)).toBeLessThan(60_000);
    expect(w.sim.record.publishes).toHaveLength(1);
  });

  it('is too late once published, and refused for a cancelled or unknown post', async () => {
    const w = await setUp();
    const handle = await w.holder.publish({ kind: 'image', id: 'r-done', imageUrl: 'https://cdn.example/d.jpg' });
    await w.clock.run(handle.result);
    expect(await w.other.reschedule('r-done', START + HOUR)).toMatchObject({ rescheduled: false, reason: 'published' });
    const later = await w.holder.publish(image('r-off', START + 5 * HOUR));
    expect(await w.other.cancel('r-off')).toMatchObject({ cancelled: true });
    expect(await w.other.reschedule('r-off', START + HOUR)).toMatchObject({ rescheduled: false, reason: 'cancelled' });
    expect(await w.other.reschedule('nothing', START + HOUR)).toMatchObject({ rescheduled: false, reason: 'unknown' });
    await expect(w.clock.run(later.result)).rejects.toMatchObject({ name: 'PostCancelled' });
    expect(w.sim.record.publishes).toHaveLength(1);
  });
});

describe('cancel on the engine that holds the post, and of a post parked for later', () => {
  it('a cancel on the holding engine stops it at once: cancelled event, PostCancelled, nothing published, no token anywhere', async () => {
    const w = await setUp();
    const events: unknown[] = [];
    w.holder.events$.subscribe((e) => events.push(e));
    const handle = await untilReady(w, image('c-here', START + 20 * 60_000));
    expect(await w.holder.cancel(handle.postId)).toMatchObject({ cancelled: true, already: false });
    await expect(w.clock.run(handle.result)).rejects.toMatchObject({ name: 'PostCancelled', postId: handle.postId, retryable: false });
    expect(events.at(-1)).toMatchObject({ type: 'cancelled', postId: handle.postId, at: expect.any(String) as unknown, cancelledAt: expect.any(String) as unknown });
    // the time the post was due passes: nothing is published, the container is left to expire
    await w.clock.run(new Promise<void>((resolve) => w.clock.schedule(() => resolve(), 2 * HOUR)));
    expect(w.sim.record.publishes).toHaveLength(0);
    expect(await w.holder.list({ state: 'cancelled' })).toEqual([expect.objectContaining({ postId: handle.postId, status: 'cancelled' })]);
    expect(JSON.stringify([events, await w.holder.list()])).not.toContain(TOKEN);
  });

  it('a post parked for later, cancelled from another engine: the holder ends it when it comes due, never publishing it', async () => {
    const w = await setUp();
    const handle = await w.holder.publish(image('c-parked', START + 3 * 24 * HOUR));
    await w.clock.run(firstValueFrom(handle.events$.pipe(filter((e) => e.type === 'waiting'))));
    expect(await w.other.cancel('c-parked')).toMatchObject({ cancelled: true });
    await expect(w.clock.run(handle.result)).rejects.toMatchObject({ name: 'PostCancelled' });
    expect(w.sim.record.publishes).toHaveLength(0);
    expect(w.sim.record.containers).toHaveLength(0);
  });
});
