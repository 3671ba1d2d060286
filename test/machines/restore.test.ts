import { afterEach, describe, expect, it } from 'vitest';
import { createActor, toPromise, waitFor } from 'xstate';
import { postInputOf } from '../support/plan.js';
import { startSimWorld, type SimWorld } from '../support/sim-world.js';

describe('durable waits', () => {
  let world: SimWorld | undefined;
  afterEach(async () => world?.close());

  it('re-arms a poll backoff on restore for the time left, not a fresh delay', async () => {
    world = await startSimWorld({ processing: { videoMs: [40_000, 40_000] } });
    const input = {
      postId: 'c',
      account: world.account,
      role: 'single' as const,
      media: 'video' as const,
      params: { media_type: 'REELS' as const, video_url: 'https://cdn.example/v.mp4' },
    };
    const first = createActor(world.machines.container, { input });
    first.start();
    // after the first poll (IN_PROGRESS at +5 s), the machine waits for the second, due at +15 s
    const waiting = await world.clock.run(waitFor(first, (s) => s.context.polls === 1));
    const createdAt = waiting.context.createdAt!;
    expect(waiting.context.wakeAt).toBe(createdAt + 15_000);
    const stored = JSON.stringify(first.getPersistedSnapshot());
    first.stop();
    expect(stored).not.toContain(world.token);

    // the process is down for 7 s, then restores from the stored snapshot
    world.clock.advanceTo(createdAt + 12_000);
    const second = createActor(world.machines.container, { snapshot: JSON.parse(stored) as never, input });
    second.start();
    const output = await world.clock.run(toPromise(second));
    expect(output).toMatchObject({ outcome: 'finished' });

    const polls = world.sim.record.requests.filter((r) => r.endpoint === 'status').map((r) => r.at - createdAt);
    // +5, then +15 (3 s after the restore, as first scheduled), +30, +50: FINISHED at 40 s
    expect(polls).toEqual([5_000, 15_000, 30_000, 50_000]);
  });

  it('re-arms a scheduled post for the time left and publishes on time', async () => {
    world = await startSimWorld({ processing: { imageMs: [2_000, 2_000] } });
    const start = world.clock.now();
    const publishAt = start + 6 * 3_600_000;
    const input = postInputOf({ kind: 'image', imageUrl: 'https://cdn.example/a.jpg', publishAt: new Date(publishAt).toISOString() }, 's', world.account);
    const first = createActor(world.machines.post, { input });
    first.start();
    first.send({ type: 'START' });
    await world.clock.run(waitFor(first, (s) => s.matches('scheduled')));
    const stored = JSON.stringify(first.getPersistedSnapshot());
    first.stop();
    world.clock.advanceTo(start + 2 * 3_600_000);
    const second = createActor(world.machines.post, { snapshot: JSON.parse(stored) as never, input });
    second.start();
    const output = await world.clock.run(toPromise(second));
    expect(output).toMatchObject({ outcome: 'published' });
    const [create] = world.sim.record.containers;
    // the container is made within the lead before publishAt, never hours early, and the publish is on time
    expect(publishAt - create!.createdAt).toBeLessThanOrEqual(20 * 3_600_000);
    expect(create!.createdAt).toBeGreaterThan(start + 5 * 3_600_000);
    const published = world.sim.record.publishes[0]!;
    expect(published.at).toBeGreaterThanOrEqual(publishAt);
    expect(published.at - publishAt).toBeLessThan(60_000);
  });

  it('verifies instead of publishing again when restored while a publish was in flight', async () => {
    world = await startSimWorld({ processing: { imageMs: [2_000, 2_000] } });
    const input = postInputOf({ kind: 'image', imageUrl: 'https://cdn.example/a.jpg', caption: 'once' }, 'r', world.account);
    const first = createActor(world.machines.post, { input });
    let stored = '';
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    // the publish reaches Instagram and is applied; the process dies before it hears back
    world.sim.hooks.beforeRespond = (req) => {
      if (req.endpoint === 'publish' && stored === '') {
        stored = JSON.stringify(first.getPersistedSnapshot());
        first.stop();
        crashed();
      }
      return Promise.resolve();
    };
    first.start();
    first.send({ type: 'START' });
    await world.clock.run(crash);
    expect(JSON.parse(stored)).toMatchObject({ value: 'publishing' });
    const second = createActor(world.machines.post, { snapshot: JSON.parse(stored) as never, input });
    second.start();
    second.send({ type: 'RESTORED' });
    const output = await world.clock.run(toPromise(second));
    expect(output).toMatchObject({ outcome: 'published', mediaId: world.sim.record.publishes[0]!.mediaId });
    expect(world.sim.record.publishes).toHaveLength(1);
    expect(world.sim.record.violations).toEqual([]);
  });
});
