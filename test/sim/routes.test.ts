import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, create, graphError, idOf, img, instant, publish, sim, status, USER, vid } from './helpers.js';

describe('simulator routes', () => {
  it('creates a container from a JSON body and answers {"id"}', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { json: { image_url: img(), caption: 'Dawn #travel' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(reply.json as object)).toEqual(['id']);
    expect(idOf(reply)).toMatch(/^\d{17}$/);
    expect(s.record.containers[0]?.params).toEqual({ image_url: img(), caption: 'Dawn #travel' });
  });

  it('accepts a form body with structured values as JSON text', async () => {
    const s = await sim();
    const tags = JSON.stringify([{ username: 'someone', x: 0.5, y: 0.8 }]);
    const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { form: { image_url: img(), user_tags: tags, is_ai_generated: 'false' } });
    expect(reply.status).toBe(200);
    expect(s.record.containers[0]?.params['user_tags']).toBe(tags);
  });

  it('accepts parameters in the query string', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { query: { media_type: 'REELS', video_url: vid() } });
    expect(reply.status).toBe(200);
    expect(s.record.containers[0]).toMatchObject({ kind: 'video', productType: 'REELS', mediaType: 'REELS' });
  });

  it('serves any version segment and calls without one', async () => {
    const s = await sim();
    const id = await create(s, { image_url: img() });
    for (const prefix of ['/v22.0', '/v25.0', '']) {
      const reply = await call(s, 'GET', `${prefix}/${id}`, { query: { fields: 'status_code' } });
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ id });
    }
    expect(s.record.count('status')).toBe(3);
  });

  it('returns the status fields asked for, status_code by default, always with id', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    expect((await call(s, 'GET', `/v25.0/${id}`)).json).toEqual({ status_code: 'FINISHED', id });
    expect(await status(s, id, 'status_code,status,id')).toEqual({
      status_code: 'FINISHED',
      status: 'Finished: Media has been uploaded',
      id,
    });
    expect(await status(s, id, 'status')).toEqual({ status: 'Finished: Media has been uploaded', id });
  });

  it('refuses a field an IG Container does not have with code 100', async () => {
    const s = await sim();
    const id = await create(s, { image_url: img() });
    const reply = await call(s, 'GET', `/v25.0/${id}`, { query: { fields: 'status_code,like_count' } });
    expect(reply.status).toBe(400);
    expect(graphError(reply)).toMatchObject({ code: 100, message: expect.stringContaining('like_count') as string });
  });

  it('publishes with creation_id and answers the IG media id', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img(), caption: 'hello' });
    const reply = await publish(s, id);
    expect(reply.status).toBe(200);
    const mediaId = idOf(reply);
    expect(mediaId).not.toBe(id);
    expect(s.record.publishes).toEqual([expect.objectContaining({ containerId: id, mediaId, account: USER })]);
    expect(await status(s, id, 'status_code')).toEqual({ status_code: 'PUBLISHED', id });
  });

  it('accepts creation_id as a form body', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    const reply = await call(s, 'POST', `/v25.0/${USER}/media_publish`, { form: { creation_id: id } });
    expect(reply.status).toBe(200);
    expect(s.record.publishes).toHaveLength(1);
  });

  it('reports the publishing limit with config', async () => {
    const s = await sim({ scenario: { processing: instant, quotaTotal: 50 } });
    await publish(s, await create(s, { image_url: img(1) }));
    await publish(s, await create(s, { image_url: img(2) }));
    const reply = await call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`, { query: { fields: 'quota_usage,config' } });
    expect(reply.json).toEqual({ data: [{ quota_usage: 2, config: { quota_total: 50, quota_duration: 86400 } }] });
    const bare = await call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`);
    expect(bare.json).toEqual({ data: [{ quota_usage: 2 }] });
  });

  it('lists feed media newest first with Graph timestamps, and stories only on /stories', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const s = await sim({ clock, scenario: { processing: instant } });
    await publish(s, await create(s, { image_url: img(1), caption: 'first' }));
    clock.advanceBy(60_000);
    await publish(s, await create(s, { media_type: 'STORIES', image_url: img(2) }));
    clock.advanceBy(60_000);
    await publish(s, await create(s, { media_type: 'REELS', video_url: vid(3), caption: 'reel' }));
    const fields = 'id,caption,media_type,media_product_type,timestamp,permalink';
    const feed = await call(s, 'GET', `/v25.0/${USER}/media`, { query: { fields } });
    const data = (feed.json as { data: Record<string, unknown>[] }).data;
    expect(data.map((m) => m['caption'])).toEqual(['reel', 'first']);
    expect(data[0]).toMatchObject({ media_type: 'VIDEO', media_product_type: 'REELS', timestamp: '2026-01-01T00:02:00+0000' });
    expect(data[1]).toMatchObject({ media_type: 'IMAGE', media_product_type: 'FEED', timestamp: '2026-01-01T00:00:00+0000' });
    expect(String(data[1]?.['permalink'])).toMatch(/^https:\/\/www\.instagram\.com\/p\/[\w-]+\/$/);
    const stories = await call(s, 'GET', `/v25.0/${USER}/stories`, { query: { fields } });
    expect((stories.json as { data: Record<string, unknown>[] }).data).toEqual([
      expect.objectContaining({ media_type: 'IMAGE', media_product_type: 'STORY', timestamp: '2026-01-01T00:01:00+0000' }),
    ]);
  });

  it('filters the media edge with since and pages with limit and after', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const s = await sim({ clock, scenario: { processing: instant } });
    for (let n = 1; n <= 5; n += 1) {
      await publish(s, await create(s, { image_url: img(n), caption: `post ${n}` }));
      clock.advanceBy(60_000);
    }
    const since = String(Date.UTC(2026, 0, 1, 0, 2) / 1000);
    const recent = await call(s, 'GET', `/v25.0/${USER}/media`, { query: { fields: 'caption', since } });
    expect((recent.json as { data: { caption: string }[] }).data.map((m) => m.caption)).toEqual(['post 5', 'post 4', 'post 3']);

    const page1 = await call(s, 'GET', `/v25.0/${USER}/media`, { query: { fields: 'caption', limit: '2' } });
    const body1 = page1.json as { data: { caption: string }[]; paging: { cursors: { after: string }; next?: string } };
    expect(body1.data.map((m) => m.caption)).toEqual(['post 5', 'post 4']);
    expect(body1.paging.next).toContain(`${s.url}/v25.0/${USER}/media?`);
    const page2 = await call(s, 'GET', `/v25.0/${USER}/media`, { query: { fields: 'caption', limit: '2', after: body1.paging.cursors.after } });
    expect((page2.json as { data: { caption: string }[] }).data.map((m) => m.caption)).toEqual(['post 3', 'post 2']);
  });

  it('reads a published media object by id (permalink read)', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const mediaId = idOf(await publish(s, await create(s, { image_url: img(), caption: 'x' })));
    const reply = await call(s, 'GET', `/v25.0/${mediaId}`, { query: { fields: 'permalink,caption' } });
    expect(reply.json).toEqual({ permalink: s.record.media[0]?.permalink, caption: 'x', id: mediaId });
  });

  it('answers an unknown route with a code 100 envelope and HTTP 400', async () => {
    const s = await sim();
    for (const [method, path] of [
      ['GET', `/v25.0/${USER}/likes`],
      ['GET', '/v25.0/me/accounts'],
      ['GET', `/v25.0/${USER}/media_publish`],
      ['DELETE', `/v25.0/${USER}/media`],
    ] as const) {
      const reply = await call(s, method, path);
      expect(reply.status).toBe(400);
      expect(graphError(reply)).toMatchObject({ code: 100, type: 'OAuthException', is_transient: false });
      expect(graphError(reply).fbtrace_id).toMatch(/\S+/);
    }
    expect(s.record.count('unknown')).toBe(4);
  });

  it('answers an unknown container with code 100 / subcode 33', async () => {
    const s = await sim();
    const reply = await call(s, 'GET', '/v25.0/17889455569999999', { query: { fields: 'status_code' } });
    expect(reply.status).toBe(400);
    expect(graphError(reply)).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
