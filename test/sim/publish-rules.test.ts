import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, create, graphError, idOf, img, instant, publish, sim, status, USER, vid } from './helpers.js';

describe('simulator publish rules', () => {
  it('refuses an IN_PROGRESS container with 9007 / 2207027 and records publish-not-finished', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { imageMs: [5_000, 5_000] } } });
    const id = await create(s, { image_url: img() });
    const reply = await publish(s, id);
    expect(graphError(reply)).toMatchObject({ code: 9007, error_subcode: 2207027 });
    expect(s.record.violationsOf('publish-not-finished')).toHaveLength(1);
    clock.advanceBy(5_000);
    expect((await publish(s, id)).status).toBe(200);
  });

  it('refuses an EXPIRED container with 24 / 2207008', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    clock.advanceBy(86_400_000);
    const reply = await publish(s, id);
    expect(graphError(reply)).toMatchObject({ code: 24, error_subcode: 2207008 });
    expect(s.record.publishes).toHaveLength(0);
  });

  it('refuses an unknown container with 24 / 2207008', async () => {
    const s = await sim();
    const reply = await publish(s, '17889455569999999');
    expect(graphError(reply)).toMatchObject({ code: 24, error_subcode: 2207008 });
  });

  it('refuses an ERROR container and records publish-not-finished', async () => {
    const s = await sim({
      scenario: { processing: instant, faults: [{ endpoint: 'create', fault: { type: 'containerError', subcode: 2207026 } }] },
    });
    const id = await create(s, { media_type: 'REELS', video_url: vid() });
    const reply = await publish(s, id);
    expect(graphError(reply)).toMatchObject({ code: 9007, error_subcode: 2207027 });
    expect(s.record.violationsOf('publish-not-finished')).toEqual([expect.objectContaining({ detail: expect.stringContaining('ERROR') as string })]);
  });

  it('refuses to publish a container twice and records republish', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    expect((await publish(s, id)).status).toBe(200);
    const again = await publish(s, id);
    expect(graphError(again)).toMatchObject({ code: 24, error_subcode: 2207008 });
    expect(s.record.publishes).toHaveLength(1);
    expect(s.record.violationsOf('republish')).toHaveLength(1);
  });

  it('refuses to publish a carousel child on its own', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const child = await create(s, { image_url: img(), is_carousel_item: true });
    const reply = await publish(s, child);
    expect(graphError(reply).code).toBe(100);
    expect(s.record.publishes).toHaveLength(0);
  });

  it('publishes a carousel as one post and marks its children PUBLISHED', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const a = await create(s, { image_url: img(1), is_carousel_item: true });
    const b = await create(s, { media_type: 'VIDEO', video_url: vid(2), is_carousel_item: true });
    const parent = await create(s, { media_type: 'CAROUSEL', children: `${a},${b}`, caption: 'Swipe' });
    const mediaId = idOf(await publish(s, parent));
    expect(s.record.media).toEqual([
      expect.objectContaining({ id: mediaId, mediaType: 'CAROUSEL_ALBUM', caption: 'Swipe', mediaUrls: [img(1), vid(2)] }),
    ]);
    expect((await status(s, a)).status_code).toBe('PUBLISHED');
    expect(s.record.container(b)?.publishedVia).toBe(parent);
    const limit = await call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`);
    expect(limit.json).toEqual({ data: [{ quota_usage: 1 }] });
  });

  it('refuses a publish over the daily quota with 9 / 2207042 and frees it in a moving 24 h window', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: instant, quotaTotal: 2 } });
    await publish(s, await create(s, { image_url: img(1) }));
    clock.advanceBy(3_600_000);
    await publish(s, await create(s, { image_url: img(2) }));
    const third = await create(s, { image_url: img(3) });
    expect(graphError(await publish(s, third))).toMatchObject({ code: 9, error_subcode: 2207042 });
    clock.advanceBy(86_400_000 - 3_600_000 - 1);
    expect(graphError(await publish(s, third)).error_subcode).toBe(2207042);
    clock.advanceBy(1);
    expect((await publish(s, third)).status).toBe(200);
    expect(s.record.publishes).toHaveLength(3);
  });

  it('uses a per-account quotaTotal', async () => {
    const s = await sim({ accounts: [{ igUserId: USER, token: 'sim-token', quotaTotal: 1 }], scenario: { processing: instant } });
    await publish(s, await create(s, { image_url: img(1) }));
    expect(graphError(await publish(s, await create(s, { image_url: img(2) }))).code).toBe(9);
    const limit = await call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`, { query: { fields: 'config' } });
    expect(limit.json).toEqual({ data: [{ config: { quota_total: 1, quota_duration: 86400 } }] });
  });

  it('counts quota_usage in a moving window and since a given time', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const s = await sim({ clock, scenario: { processing: instant } });
    const usage = async (query: Record<string, string> = {}): Promise<unknown> =>
      (await call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`, { query: { fields: 'quota_usage', ...query } })).json;
    await publish(s, await create(s, { image_url: img(1) }));
    clock.advanceBy(12 * 3_600_000);
    await publish(s, await create(s, { image_url: img(2) }));
    expect(await usage()).toEqual({ data: [{ quota_usage: 2 }] });
    expect(await usage({ since: String(Date.UTC(2026, 0, 1, 6) / 1000) })).toEqual({ data: [{ quota_usage: 1 }] });
    clock.advanceBy(12 * 3_600_000);
    expect(await usage()).toEqual({ data: [{ quota_usage: 1 }] });
    clock.advanceBy(12 * 3_600_000);
    expect(await usage()).toEqual({ data: [{ quota_usage: 0 }] });
    const tooOld = await call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`, { query: { since: String(Date.UTC(2026, 0, 1) / 1000) } });
    expect(graphError(tooOld).code).toBe(100);
  });

  it('requires creation_id', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', `/v25.0/${USER}/media_publish`, { json: {} });
    expect(graphError(reply)).toMatchObject({ code: 100, message: expect.stringContaining('creation_id') as string });
  });
});
