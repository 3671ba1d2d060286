import { afterEach, describe, expect, it } from 'vitest';
import { postInputOf, storiesInputOf } from '../support/plan.js';
import { startSimWorld, type SimWorld } from '../support/sim-world.js';

/** The mistakes real clients made (docs/graph-api.md#pitfalls-seen-in-real-clients), checked on what Instagram received. */
describe('what Instagram receives', () => {
  let world: SimWorld | undefined;
  afterEach(async () => world?.close());

  const publish = async (spec: unknown) => {
    world = await startSimWorld({ processing: { imageMs: [2_000, 2_000], videoMs: [30_000, 30_000], parentMs: [2_000, 2_000] } });
    const output = await world.run(world.machines.post, postInputOf(spec, 'p', world.account));
    expect(output).toMatchObject({ outcome: 'published' });
    expect(world.sim.record.violations).toEqual([]);
    return world.sim.record;
  };

  it('sends a single video as REELS, never VIDEO', async () => {
    const record = await publish({ kind: 'reel', videoUrl: 'https://cdn.example/v.mp4', caption: 'reel' });
    const [container] = record.containers;
    expect(container!.params.media_type).toBe('REELS');
    expect(record.requests.some((r) => r.params.media_type === 'VIDEO')).toBe(false);
  });

  describe('a carousel of an image, a video and an image', () => {
    const spec = {
      kind: 'carousel',
      caption: 'Swipe #three',
      isAiGenerated: true,
      items: [{ imageUrl: 'https://cdn.example/1.jpg', altText: 'first' }, { videoUrl: 'https://cdn.example/2.mp4' }, { imageUrl: 'https://cdn.example/3.jpg' }],
    };

    it('sends the video item as VIDEO with is_carousel_item, and no caption or is_ai_generated on any item', async () => {
      const record = await publish(spec);
      const items = record.containers.filter((c) => c.isCarouselItem);
      expect(items).toHaveLength(3);
      const video = items.find((c) => c.params.video_url === 'https://cdn.example/2.mp4')!;
      expect(video.params.media_type).toBe('VIDEO');
      for (const item of items) {
        expect(String(item.params.is_carousel_item)).toBe('true');
        expect(item.params).not.toHaveProperty('caption');
        expect(item.params).not.toHaveProperty('is_ai_generated');
      }
      expect(items.find((c) => c.params.image_url === 'https://cdn.example/1.jpg')!.params.alt_text).toBe('first');
    });

    it('sends children as a comma-separated string in item order, with the caption and is_ai_generated on the parent', async () => {
      const record = await publish(spec);
      const idOf = (url: string) => record.containers.find((c) => c.params.image_url === url || c.params.video_url === url)!.id;
      const parent = record.containers.find((c) => c.params.media_type === 'CAROUSEL')!;
      expect(parent.params.children).toBe([idOf('https://cdn.example/1.jpg'), idOf('https://cdn.example/2.mp4'), idOf('https://cdn.example/3.jpg')].join(','));
      expect(parent.params.caption).toBe('Swipe #three');
      expect(String(parent.params.is_ai_generated)).toBe('true');
      expect(record.publishes).toHaveLength(1);
      expect(record.publishes[0]!.containerId).toBe(parent.id);
    });
  });

  it('creates the parent only after every item is FINISHED', async () => {
    const record = await publish({
      kind: 'carousel',
      items: [{ imageUrl: 'https://cdn.example/1.jpg' }, { videoUrl: 'https://cdn.example/2.mp4' }],
    });
    const parent = record.containers.find((c) => c.params.media_type === 'CAROUSEL')!;
    for (const item of record.containers.filter((c) => c.isCarouselItem)) expect(item.readyAt).toBeLessThanOrEqual(parent.createdAt);
  });

  it('publishes stories one at a time, in order, without captions', async () => {
    world = await startSimWorld({ processing: { imageMs: [2_000, 2_000], videoMs: [10_000, 10_000] } });
    const output = await world.run(
      world.machines.stories,
      storiesInputOf({ kind: 'stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { videoUrl: 'https://cdn.example/s2.mp4' }, { imageUrl: 'https://cdn.example/s3.jpg' }] }, 's', world.account),
    );
    expect(output).toMatchObject({ outcome: 'published' });
    const record = world.sim.record;
    const urls = record.containers.map((c) => c.params.image_url ?? c.params.video_url);
    expect(urls).toEqual(['https://cdn.example/s1.jpg', 'https://cdn.example/s2.mp4', 'https://cdn.example/s3.jpg']);
    // each story is published before the next one's container is made
    record.containers.slice(1).forEach((next, i) => expect(record.containers[i]!.publishedAt!).toBeLessThanOrEqual(next.createdAt));
    expect(record.containers.every((c) => c.params.media_type === 'STORIES' && !('caption' in c.params))).toBe(true);
  });
});
