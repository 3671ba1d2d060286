import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, create, graphError, img, instant, sim, USER, vid } from './helpers.js';

const mediaPath = `/v25.0/${USER}/media`;

describe('simulator create rules', () => {
  it('requires image_url on an image and video_url on a reel (code 100)', async () => {
    const s = await sim();
    const image = await call(s, 'POST', mediaPath, { json: { caption: 'no media' } });
    expect(graphError(image)).toMatchObject({ code: 100, message: expect.stringContaining('image_url') as string });
    const reel = await call(s, 'POST', mediaPath, { json: { media_type: 'REELS', image_url: img() } });
    expect(graphError(reel)).toMatchObject({ code: 100, message: expect.stringContaining('video_url') as string });
    expect(s.record.containers).toHaveLength(0);
  });

  it('answers an empty or non-ASCII media URL with 9004 / 2207052', async () => {
    const s = await sim();
    const empty = await call(s, 'POST', mediaPath, { json: { image_url: '' } });
    expect(graphError(empty)).toMatchObject({ code: 9004, error_subcode: 2207052 });
    const unicode = await call(s, 'POST', mediaPath, { json: { image_url: 'https://cdn.example/café.jpg' } });
    expect(graphError(unicode)).toMatchObject({ code: 9004, error_subcode: 2207052 });
  });

  it('refuses an unknown media_type with 100 / 2207023', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', mediaPath, { json: { media_type: 'GIF', image_url: img() } });
    expect(graphError(reply)).toMatchObject({ code: 100, error_subcode: 2207023 });
  });

  it('creates a standalone VIDEO container but refuses to publish it (100 / 2207089)', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { media_type: 'VIDEO', video_url: vid() });
    const reply = await call(s, 'POST', `/v25.0/${USER}/media_publish`, { json: { creation_id: id } });
    expect(graphError(reply)).toMatchObject({ code: 100, error_subcode: 2207089 });
    expect(s.record.publishes).toHaveLength(0);
  });

  it('refuses is_ai_generated on a carousel item', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', mediaPath, { json: { image_url: img(), is_carousel_item: true, is_ai_generated: true } });
    expect(graphError(reply)).toMatchObject({ code: 100, message: expect.stringContaining('is_ai_generated') as string });
    expect(s.record.containers).toHaveLength(0);
  });

  it('refuses a caption on a carousel item and records the violation', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', mediaPath, { form: { image_url: img(), is_carousel_item: 'true', caption: 'nope' } });
    expect(graphError(reply).code).toBe(100);
    expect(s.record.violationsOf('caption-on-carousel-item')).toEqual([expect.objectContaining({ requestSeq: 1 })]);
    expect(s.record.containers).toHaveLength(0);
  });

  it('accepts a caption on a story, drops it and records the violation', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { media_type: 'STORIES', image_url: img(), caption: 'ignored' });
    expect(s.record.violationsOf('caption-on-story')).toHaveLength(1);
    await call(s, 'POST', `/v25.0/${USER}/media_publish`, { json: { creation_id: id } });
    expect(s.record.media[0]).toMatchObject({ productType: 'STORY', caption: undefined });
  });

  it('refuses REELS as a carousel item', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', mediaPath, { json: { media_type: 'REELS', video_url: vid(), is_carousel_item: true } });
    expect(graphError(reply).code).toBe(100);
  });

  it('refuses children sent as a JSON array, even when the items are finished', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const a = await create(s, { image_url: img(1), is_carousel_item: true });
    const b = await create(s, { image_url: img(2), is_carousel_item: true });
    const asArray = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: [a, b] } });
    expect(graphError(asArray).code).toBe(100);
    const asJsonText = await call(s, 'POST', mediaPath, { form: { media_type: 'CAROUSEL', children: JSON.stringify([a, b]) } });
    expect(graphError(asJsonText).code).toBe(100);
    const joined = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: `${a},${b}` } });
    expect(joined.status).toBe(200);
  });

  it('refuses fewer than 2 or more than 10 children with 100 / 2207028', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const items: string[] = [];
    for (let n = 0; n < 11; n += 1) items.push(await create(s, { image_url: img(n), is_carousel_item: true }));
    const one = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: items[0] } });
    expect(graphError(one)).toMatchObject({ code: 100, error_subcode: 2207028 });
    const eleven = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: items.join(',') } });
    expect(graphError(eleven)).toMatchObject({ code: 100, error_subcode: 2207028 });
    const ten = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: items.slice(0, 10).join(',') } });
    expect(ten.status).toBe(200);
  });

  it('refuses a parent whose children are not all FINISHED with 9007 / 2207027', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { imageMs: [0, 0], videoMs: [60_000, 60_000] } } });
    const a = await create(s, { image_url: img(), is_carousel_item: true });
    const b = await create(s, { media_type: 'VIDEO', video_url: vid(), is_carousel_item: true });
    const early = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: `${a},${b}` } });
    expect(graphError(early)).toMatchObject({ code: 9007, error_subcode: 2207027 });
    clock.advanceBy(60_000);
    const later = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: `${a},${b}`, caption: 'Swipe' } });
    expect(later.status).toBe(200);
    expect(s.record.containers.at(-1)).toMatchObject({ kind: 'carousel', children: [a, b] });
  });

  it('refuses a parent with an expired or unknown child (24 / 2207008) or a non-item child (100)', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: instant, expireAfterMs: 1_000 } });
    const a = await create(s, { image_url: img(1), is_carousel_item: true });
    clock.advanceBy(1_000);
    const b = await create(s, { image_url: img(2), is_carousel_item: true });
    const single = await create(s, { image_url: img(3) });
    const expired = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: `${a},${b}` } });
    expect(graphError(expired)).toMatchObject({ code: 24, error_subcode: 2207008 });
    const unknown = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: `${b},17889455569999999` } });
    expect(graphError(unknown)).toMatchObject({ code: 24, error_subcode: 2207008 });
    const notItem = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: `${b},${single}` } });
    expect(graphError(notItem)).toMatchObject({ code: 100 });
    expect(graphError(notItem).error_subcode).toBeUndefined();
  });

  it('refuses a caption over 2200 UTF-16 units with 36004 / 2207010', async () => {
    const s = await sim();
    const ok = await call(s, 'POST', mediaPath, { json: { image_url: img(), caption: 'a'.repeat(2200) } });
    expect(ok.status).toBe(200);
    // 1100 emoji = 1100 code points but 2200 UTF-16 units, plus one more character.
    const tooLong = await call(s, 'POST', mediaPath, { json: { image_url: img(), caption: `${'😀'.repeat(1100)}!` } });
    expect(graphError(tooLong)).toMatchObject({ code: 36004, error_subcode: 2207010 });
  });

  it('refuses more than 30 hashtags with 36004 / 2207010', async () => {
    const s = await sim();
    const tags = (n: number): string => Array.from({ length: n }, (_, i) => `#tag${i}`).join(' ');
    expect((await call(s, 'POST', mediaPath, { json: { image_url: img(), caption: tags(30) } })).status).toBe(200);
    const reply = await call(s, 'POST', mediaPath, { json: { image_url: img(), caption: tags(31) } });
    expect(graphError(reply)).toMatchObject({ code: 36004, error_subcode: 2207010 });
  });

  it('refuses more than 20 mentions with 100 / 2207040 (an email is not a mention)', async () => {
    const s = await sim();
    const mentions = (n: number): string => Array.from({ length: n }, (_, i) => `@user${i}`).join(' ');
    const twenty = await call(s, 'POST', mediaPath, { json: { image_url: img(), caption: `${mentions(20)} mail me: a@b.example` } });
    expect(twenty.status).toBe(200);
    const reply = await call(s, 'POST', mediaPath, { json: { image_url: img(), caption: mentions(21) } });
    expect(graphError(reply)).toMatchObject({ code: 100, error_subcode: 2207040 });
  });

  it('applies the caption rules to a carousel parent', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const a = await create(s, { image_url: img(1), is_carousel_item: true });
    const b = await create(s, { image_url: img(2), is_carousel_item: true });
    const reply = await call(s, 'POST', mediaPath, { json: { media_type: 'CAROUSEL', children: `${a},${b}`, caption: 'x'.repeat(2201) } });
    expect(graphError(reply)).toMatchObject({ code: 36004, error_subcode: 2207010 });
  });

  it('enforces the container cap per moving 24 h', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { containerCap: 3 } });
    for (let n = 0; n < 3; n += 1) await create(s, { image_url: img(n) });
    const refused = await call(s, 'POST', mediaPath, { json: { image_url: img(9) } });
    expect(graphError(refused)).toMatchObject({ code: 100, message: expect.stringContaining('maximum number of media containers') as string });
    clock.advanceBy(86_400_000);
    expect((await call(s, 'POST', mediaPath, { json: { image_url: img(9) } })).status).toBe(200);
  });

  it('enforces the default cap of 400 containers', async () => {
    const s = await sim();
    for (let n = 0; n < 400; n += 1) await create(s, { image_url: img(n) });
    const refused = await call(s, 'POST', mediaPath, { json: { image_url: img(400) } });
    expect(graphError(refused).code).toBe(100);
    expect(s.record.containers).toHaveLength(400);
  });
});
