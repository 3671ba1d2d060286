import { virtualEngine } from '../support/virtual-engine.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { Engine } from '../../src/engine/engine.js';
import { PostFailed, PostInterrupted } from '../../src/engine/post-errors.js';
import { InvalidPostSpec } from '../../src/spec/invalid-post-spec.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { judge } from '../../src/sim/oracle.js';

const image = (extra: object = {}) => ({ kind: 'image', imageUrl: 'https://cdn.example/a.jpg', caption: 'engine', ...extra });

describe('engine', () => {
  let sim: Simulator | undefined;
  const engines: Engine[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    // every test is judged by what Instagram saw, whatever it asserts itself
    if (sim) expect(judge(sim.record)).toEqual([]);
    await sim?.close();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function setup(scenario: ScenarioInput = {}, store: Store = memoryStore(), extra: object = {}) {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [40_000, 40_000], parentMs: [2_000, 2_000] }, ...scenario } });
    const engine = virtualEngine({ store, clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url }, ...extra });
    engines.push(engine);
    return { clock, engine, store, sim };
  }
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'igflow-engine-'));
    dirs.push(dir);
    return dir;
  };

  it('publishes an image and reports its events, ending with published', async () => {
    const { clock, engine, sim } = await setup();
    const handle = await engine.publish(image());
    const events = lastValueFrom(handle.events$.pipe(toArray()));
    const result = await clock.run(handle.result);
    expect(result.mediaId).toBe(sim.record.publishes[0]!.mediaId);
    const seen = await events;
    expect(seen[0]).toMatchObject({ type: 'accepted', postId: handle.postId });
    expect(seen.at(-1)).toMatchObject({ type: 'published', postId: handle.postId, mediaId: result.mediaId });
    expect(seen.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state)).toEqual(expect.arrayContaining(['preparing', 'publishing']));
    for (const event of seen) expect(typeof event.at).toBe('string');
    expect(await engine.get(handle.postId)).toMatchObject({ status: 'published', result: { outcome: 'published', mediaId: result.mediaId } });
  });

  it('refuses an invalid spec with every problem and stores nothing', async () => {
    const store = memoryStore();
    const { engine, sim } = await setup({}, store);
    await expect(engine.publish({ kind: 'image', caption: 1 })).rejects.toBeInstanceOf(InvalidPostSpec);
    expect((await store.posts.list()).posts).toHaveLength(0);
    expect(sim.record.requests).toHaveLength(0);
  });

  it('rejects the result of a post that fails for good with PostFailed and the remedy', async () => {
    const { clock, engine } = await setup({ faults: [{ endpoint: 'create', fault: { type: 'containerError', subcode: 2207026 } }] });
    const handle = await engine.publish({ kind: 'reel', videoUrl: 'https://cdn.example/v.mp4' });
    const error = await clock.run(handle.result.then(() => undefined, (err: unknown) => err));
    expect(error).toBeInstanceOf(PostFailed);
    expect(error).toMatchObject({ subcode: 2207026, errorClass: 'invalid-input', retryable: false });
    expect((error as PostFailed).remedy).toMatch(/MP4/);
  });

  it('makes one post for one idempotency key, even when two publish calls race', async () => {
    const { clock, engine, sim } = await setup({}, fileStore(await tempDir()));
    const [a, b] = await Promise.all([engine.publish(image({ id: 'same-key' })), engine.publish(image({ id: 'same-key' }))]);
    expect(a.postId).toBe(b.postId);
    const [ra, rb] = await clock.run(Promise.all([a.result, b.result]));
    expect(ra.mediaId).toBe(rb.mediaId);
    const again = await engine.publish(image({ id: 'same-key' }));
    expect((await clock.run(again.result)).mediaId).toBe(ra.mediaId);
    expect(sim.record.publishes).toHaveLength(1);
    expect(sim.record.containers).toHaveLength(1);
  });

  it('persists before each request: the stored state leads what Instagram saw', async () => {
    const store = memoryStore();
    const { clock, engine, sim } = await setup({}, store);
    const seen: string[] = [];
    sim.hooks.onRequest = async (req) => {
      const [post] = (await store.posts.list()).posts;
      seen.push(`${req.endpoint}:${post?.state}`);
    };
    const handle = await engine.publish(image());
    await clock.run(handle.result);
    // a new post is created from its stored spec (nothing to write before the first answer); the container's id is
    // stored before it is polled; reads (status, quota) wait for no write; the publish does
    expect(seen).toEqual(['create:accepted', 'status:preparing', 'limit:preparing', 'publish:publishing']);
  });

  it('parks a post that only waits, and wakes it at its deadline', async () => {
    const store = memoryStore();
    const { clock, engine, sim } = await setup({}, store, { parkAfterMs: 60_000 });
    const publishAt = clock.now() + 5 * 3_600_000;
    const handle = await engine.publish(image({ publishAt: new Date(publishAt).toISOString() }));
    const waiting = lastValueFrom(handle.events$.pipe(toArray()));
    await clock.run(handle.result);
    const events = await waiting;
    expect(events.find((e) => e.type === 'waiting')).toMatchObject({ reason: 'schedule' });
    expect(events.some((e) => e.type === 'resumed')).toBe(true);
    expect(sim.record.publishes[0]!.at).toBeGreaterThanOrEqual(publishAt);
  });

  it('leaves posts of an account it has no token for in the store, untouched', async () => {
    const store = memoryStore();
    const { clock, engine, sim } = await setup({}, store);
    const other = virtualEngine({ store, clock, graph: { accessToken: 'other-token', igUserId: '17841400000000777', baseUrl: sim.url } });
    engines.push(other);
    await other.enqueue(image());
    const events: string[] = [];
    engine.events$.subscribe((e) => events.push(`${e.type}:${e.type === 'problem' ? e.message : ''}`));
    expect(await engine.resumeAll()).toEqual([]);
    expect(events.some((e) => /is not one of this engine's accounts/.test(e))).toBe(true);
    const [post] = (await store.posts.list({ status: 'unfinished' })).posts;
    expect(post).toMatchObject({ status: 'active', account: '17841400000000777' });
    expect(sim.record.requests).toHaveLength(0);
  });

  it('lets go of a post another live engine holds: its handle settles with PostInterrupted', async () => {
    const store = memoryStore();
    const { engine } = await setup({}, store);
    await store.posts.create({ postId: 'held', key: 'held-key', account: DEFAULT_ACCOUNT.igUserId, machine: 'post', status: 'active', state: 'preparing', snapshot: {}, createdAt: 0, updatedAt: 0 }, { owner: 'elsewhere/1/x', until: Date.UTC(2030, 0, 1) });
    const [handle] = await engine.resumeAll();
    await expect(handle!.result).rejects.toBeInstanceOf(PostInterrupted);
  });

  it('stops at shutdown and finishes the post from the same store on resume', async () => {
    const dir = await tempDir();
    const first = await setup({}, fileStore(dir));
    const handle = await first.engine.publish({ kind: 'reel', videoUrl: 'https://cdn.example/v.mp4', caption: 'resumed', id: 'r1' });
    await first.clock.run(new Promise<void>((resolve) => handle.events$.subscribe((e) => e.type === 'container' && e.state === 'polling' && resolve())));
    await first.engine.shutdown();
    await expect(handle.result).rejects.toBeInstanceOf(PostInterrupted);
    const stored = await first.engine.get(handle.postId);
    expect(stored?.status).toBe('active');
    expect(stored?.lease).toBeUndefined();

    const second = virtualEngine({ store: fileStore(dir), clock: first.clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: first.sim.url } });
    engines.push(second);
    const [resumed] = await second.resumeAll();
    const result = await first.clock.run(resumed!.result);
    expect(result.mediaId).toBe(first.sim.record.publishes[0]!.mediaId);
    expect(first.sim.record.publishes).toHaveLength(1);
    expect(first.sim.record.containers).toHaveLength(1);
  });
});
