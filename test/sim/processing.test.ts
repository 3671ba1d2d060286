import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { create, img, instant, sim, status, vid } from './helpers.js';

const MIN = 60_000;

describe('simulator processing model', () => {
  it('keeps a 4-minute video IN_PROGRESS at 3 min and FINISHED at 4 min', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { videoMs: [4 * MIN, 4 * MIN] } } });
    const id = await create(s, { media_type: 'REELS', video_url: vid() });
    expect(await status(s, id)).toEqual({ status_code: 'IN_PROGRESS', status: 'In progress: Media is still being processed.', id });
    clock.advanceBy(3 * MIN);
    expect((await status(s, id)).status_code).toBe('IN_PROGRESS');
    clock.advanceBy(MIN - 1);
    expect((await status(s, id)).status_code).toBe('IN_PROGRESS');
    clock.advanceBy(1);
    expect((await status(s, id)).status_code).toBe('FINISHED');
    expect(clock.pending).toBe(0);
  });

  it('draws processing times per kind within the default ranges', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock });
    await create(s, { image_url: img() });
    await create(s, { media_type: 'REELS', video_url: vid() });
    const [image, video] = s.record.containers;
    const imageMs = (image?.readyAt ?? 0) - (image?.createdAt ?? 0);
    const videoMs = (video?.readyAt ?? 0) - (video?.createdAt ?? 0);
    expect(imageMs).toBeGreaterThanOrEqual(1_000);
    expect(imageMs).toBeLessThanOrEqual(3_000);
    expect(videoMs).toBeGreaterThanOrEqual(20_000);
    expect(videoMs).toBeLessThanOrEqual(120_000);
  });

  it('is deterministic per seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const clock = new VirtualClock();
      const s = await sim({ clock, scenario: { seed } });
      for (let n = 0; n < 6; n += 1) await create(s, { media_type: 'REELS', video_url: vid(n) });
      return s.record.containers.map((c) => c.readyAt - c.createdAt);
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(await run(43)).not.toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('finishes a carousel parent a few seconds after creation', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { imageMs: [0, 0], parentMs: [2_000, 2_000] } } });
    const a = await create(s, { image_url: img(1), is_carousel_item: true });
    const b = await create(s, { image_url: img(2), is_carousel_item: true });
    const parent = await create(s, { media_type: 'CAROUSEL', children: `${a},${b}` });
    expect((await status(s, parent)).status_code).toBe('IN_PROGRESS');
    clock.advanceBy(2_000);
    expect((await status(s, parent)).status_code).toBe('FINISHED');
  });

  it('is ready at once with [0, 0] ranges', async () => {
    const s = await sim({ clock: new VirtualClock(), scenario: { processing: instant } });
    expect((await status(s, await create(s, { media_type: 'REELS', video_url: vid() }))).status_code).toBe('FINISHED');
  });

  it('expires a container 24 h after creation', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    clock.advanceBy(86_400_000 - 1);
    expect((await status(s, id)).status_code).toBe('FINISHED');
    clock.advanceBy(1);
    expect((await status(s, id)).status_code).toBe('EXPIRED');
  });

  it('honours expireAfterMs, expireEarly and processingMs rules', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: instant, expireAfterMs: 10 * MIN } });
    s.inject({ endpoint: 'create', nth: 2, fault: { type: 'expireEarly', afterMs: MIN } });
    s.inject({ endpoint: 'create', nth: 3, fault: { type: 'processingMs', ms: 5 * MIN } });
    const plain = await create(s, { image_url: img(1) });
    const early = await create(s, { image_url: img(2) });
    const slow = await create(s, { image_url: img(3) });
    clock.advanceBy(MIN);
    expect(s.statusOf(early)).toBe('EXPIRED');
    expect(s.statusOf(plain)).toBe('FINISHED');
    expect(s.statusOf(slow)).toBe('IN_PROGRESS');
    clock.advanceBy(9 * MIN);
    expect(s.statusOf(plain)).toBe('EXPIRED');
  });

  it('lets a child expire on its own clock after its parent was created', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: instant } });
    const a = await create(s, { image_url: img(1), is_carousel_item: true });
    clock.advanceBy(MIN);
    const b = await create(s, { image_url: img(2), is_carousel_item: true });
    await create(s, { media_type: 'CAROUSEL', children: `${a},${b}` });
    clock.advanceBy(86_400_000 - MIN);
    expect(s.statusOf(a)).toBe('EXPIRED');
    expect(s.statusOf(b)).toBe('FINISHED');
  });

  it('ends a container in ERROR with the prose status once processed, and it stays ERROR', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { videoMs: [30_000, 30_000] } } });
    s.inject({ endpoint: 'create', fault: { type: 'containerError', subcode: 2207026 } });
    const id = await create(s, { media_type: 'REELS', video_url: vid() });
    expect((await status(s, id)).status_code).toBe('IN_PROGRESS');
    clock.advanceBy(30_000);
    expect(await status(s, id)).toEqual({ status_code: 'ERROR', status: 'Error: Media upload has failed with error code 2207026', id });
    clock.advanceBy(2 * 86_400_000);
    expect((await status(s, id)).status_code).toBe('ERROR');
    expect(s.record.containers[0]?.outcome).toEqual({ type: 'error', subcode: 2207026 });
  });

  it('writes ERROR in the bare and empty-code forms, and generic ERRORs without a subcode', async () => {
    const s = await sim({ clock: new VirtualClock(), scenario: { processing: instant, statusForm: 'bare' } });
    s.inject({ endpoint: 'create', nth: 1, fault: { type: 'containerError', subcode: 2207026 } });
    s.inject({ endpoint: 'create', nth: 2, fault: { type: 'containerError', subcode: 2207052, statusForm: 'empty-code' } });
    s.inject({ endpoint: 'create', nth: 3, fault: { type: 'containerError', generic: true, statusForm: 'prose' } });
    const bare = await create(s, { image_url: img(1) });
    const emptyCode = await create(s, { image_url: img(2) });
    const generic = await create(s, { image_url: img(3) });
    expect(await status(s, bare)).toEqual({ status_code: 'ERROR', status: '2207026', id: bare });
    expect(await status(s, emptyCode)).toEqual({ status_code: '', status: 'Error: Media download has failed with error code 2207052', id: emptyCode });
    const genericStatus = await status(s, generic);
    expect(genericStatus.status_code).toBe('ERROR');
    expect(genericStatus.status).not.toMatch(/\d{7}/);
  });

  it('matches outcome rules on kind and carousel-item flag', async () => {
    const s = await sim({ clock: new VirtualClock(), scenario: { processing: instant } });
    s.inject({ endpoint: 'create', kind: 'video', isCarouselItem: true, fault: { type: 'containerError', subcode: 2207053 } });
    const image = await create(s, { image_url: img(), is_carousel_item: true });
    const reel = await create(s, { media_type: 'REELS', video_url: vid(1) });
    const videoItem = await create(s, { media_type: 'VIDEO', video_url: vid(2), is_carousel_item: true });
    expect([s.statusOf(image), s.statusOf(reel), s.statusOf(videoItem)]).toEqual(['FINISHED', 'FINISHED', 'ERROR']);
  });
});
