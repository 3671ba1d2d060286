import { firstValueFrom, toArray, take } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { PostInterrupted, PostUnavailable } from '../../src/engine/post-errors.js';
import type { PostOutcomeEvent } from '../../src/outcomes/outcome-event.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { virtualEngine } from '../support/virtual-engine.js';

const FAIL_REELS = [{ endpoint: 'create', kind: 'video', fault: { type: 'containerError', subcode: 2207026 }, times: Infinity }] as const;

describe('engine.outcomes$ and engine.watch() in one process', () => {
  const undo: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });

  async function world(): Promise<{ clock: VirtualClock; sim: Simulator; engine: Engine }> {
    const clock = new VirtualClock();
    const sim = await startSimulator({ clock, scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [2_000, 2_000] }, faults: [...FAIL_REELS] } });
    const engine = virtualEngine({ store: memoryStore(), clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url } });
    undo.push(async () => {
      await engine.shutdown();
      await sim.close();
    });
    return { clock, sim, engine };
  }

  it('tells each outcome once: published with its media id, failed with the public fields of its error', async () => {
    const { clock, sim, engine } = await world();
    const told: PostOutcomeEvent[] = [];
    engine.outcomes$.subscribe((event) => told.push(event));
    const image = await engine.publish({ kind: 'image', id: 'img', imageUrl: 'https://cdn.example/a.jpg' });
    const reel = await engine.publish({ kind: 'reel', id: 'reel', videoUrl: 'https://cdn.example/v.mp4' });
    await clock.run(Promise.allSettled([image.result, reel.result]));
    await clock.run(new Promise((resolve) => setTimeout(resolve, 20)));
    expect(told).toHaveLength(2);
    expect(told.find((e) => e.idempotencyKey === 'img')).toMatchObject({ type: 'published', postId: image.postId, account: DEFAULT_ACCOUNT.igUserId, mediaId: sim.record.publishes[0]!.mediaId });
    expect(told.find((e) => e.idempotencyKey === 'reel')).toEqual({
      type: 'failed',
      outcomeId: expect.any(String) as unknown,
      postId: reel.postId,
      idempotencyKey: 'reel',
      account: DEFAULT_ACCOUNT.igUserId,
      at: expect.any(String) as unknown,
      error: { code: null, subcode: 2207026, retryable: false, errorClass: 'invalid-input', message: expect.any(String) as unknown, remedy: expect.stringMatching(/MP4/) as unknown },
    });
    expect(JSON.stringify(told)).not.toContain(DEFAULT_ACCOUNT.token);
  });

  it('watch(key) of a post finished before the call tells its outcome and completes; watch(postId) of one still running waits for it', async () => {
    const { clock, engine } = await world();
    const early = await engine.publish({ kind: 'image', id: 'early', imageUrl: 'https://cdn.example/e.jpg' });
    const published = await clock.run(early.result);
    const before = await clock.run(firstValueFrom(engine.watch('early').pipe(toArray())));
    expect(before).toEqual([expect.objectContaining({ type: 'published', postId: early.postId, mediaId: published.mediaId })]);
    const late = await engine.publish({ kind: 'image', id: 'late', imageUrl: 'https://cdn.example/l.jpg' });
    const watched = firstValueFrom(engine.watch(late.postId).pipe(toArray()));
    const [events, result] = await clock.run(Promise.all([watched, late.result]));
    expect(events).toEqual([expect.objectContaining({ type: 'published', idempotencyKey: 'late', mediaId: result.mediaId })]);
  });

  it('a post cancelled before it went out is told as cancelled, by outcomes$ and by watch()', async () => {
    const { clock, sim, engine } = await world();
    const told: PostOutcomeEvent[] = [];
    engine.outcomes$.subscribe((event) => told.push(event));
    const postId = await engine.enqueue({ kind: 'image', id: 'called-off', imageUrl: 'https://cdn.example/c.jpg', publishAt: new Date(clock.now() + 86_400_000).toISOString() });
    const watched = firstValueFrom(engine.watch('called-off').pipe(toArray()));
    await clock.run(new Promise((resolve) => setTimeout(resolve, 20)));
    expect(await clock.run(engine.cancel('called-off'))).toMatchObject({ cancelled: true });
    const events = await clock.run(watched);
    expect(events).toEqual([expect.objectContaining({ type: 'cancelled', postId, idempotencyKey: 'called-off' })]);
    expect(told).toEqual([expect.objectContaining({ type: 'cancelled', postId })]);
    expect(sim.record.publishes).toHaveLength(0);
  });

  it('watch of a post the store does not hold fails with PostUnavailable; of one unfinished at shutdown, with PostInterrupted', async () => {
    const { clock, engine } = await world();
    await expect(clock.run(firstValueFrom(engine.watch('nobody')))).rejects.toBeInstanceOf(PostUnavailable);
    const postId = await engine.enqueue({ kind: 'image', id: 'never-worked', imageUrl: 'https://cdn.example/n.jpg' });
    const watching = firstValueFrom(engine.watch(postId).pipe(take(1)));
    const settled = watching.then(() => 'told', (error: unknown) => error);
    await clock.run(new Promise((resolve) => setTimeout(resolve, 20)));
    await engine.shutdown();
    expect(await settled).toBeInstanceOf(PostInterrupted);
  });
});
