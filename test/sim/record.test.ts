import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, create, img, instant, publish, sim, status, TOKEN, USER } from './helpers.js';

const OTHER = '17841400000000002';

describe('simulator record', () => {
  it('flags the same content published twice through two containers as duplicate-publish', async () => {
    const s = await sim({ scenario: { processing: instant } });
    await publish(s, await create(s, { image_url: img(1), caption: 'same' }));
    await publish(s, await create(s, { image_url: img(1), caption: 'different caption' }));
    await publish(s, await create(s, { media_type: 'STORIES', image_url: img(1) }));
    expect(s.record.violationsOf('duplicate-publish')).toHaveLength(0);
    const again = await publish(s, await create(s, { image_url: img(1), caption: 'same' }));
    expect(again.status).toBe(200);
    expect(s.record.violationsOf('duplicate-publish')).toEqual([
      expect.objectContaining({ requestSeq: 8, detail: expect.stringContaining(s.record.publishes[0]?.mediaId ?? '?') as string }),
    ]);
    expect(s.record.publishes[0]?.fingerprint).toBe(s.record.publishes[3]?.fingerprint);
    expect(s.record.publishes[0]?.fingerprint).not.toBe(s.record.publishes[1]?.fingerprint);
  });

  it('flags a duplicate carousel by its children media and caption', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const carousel = async (): Promise<void> => {
      const a = await create(s, { image_url: img(1), is_carousel_item: true });
      const b = await create(s, { image_url: img(2), is_carousel_item: true });
      await publish(s, await create(s, { media_type: 'CAROUSEL', children: `${a},${b}`, caption: 'Swipe' }));
    };
    await carousel();
    await carousel();
    expect(s.record.violationsOf('duplicate-publish')).toHaveLength(1);
  });

  it('does not call the same content on two accounts a duplicate', async () => {
    const s = await sim({ accounts: [{ igUserId: USER, token: TOKEN }, { igUserId: OTHER, token: 'o' }], scenario: { processing: instant } });
    await publish(s, await create(s, { image_url: img(1), caption: 'x' }));
    await publish(s, await create(s, { image_url: img(1), caption: 'x' }, OTHER, 'o'), OTHER, 'o');
    expect(s.record.violationsOf('duplicate-publish')).toHaveLength(0);
    expect(s.record.publishesOf(OTHER)).toHaveLength(1);
    expect(s.record.mediaOf(USER)).toHaveLength(1);
  });

  it('flags status reads closer than pollFloorMs as poll-too-fast', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { pollFloorMs: 5_000 } });
    const id = await create(s, { image_url: img() });
    const other = await create(s, { image_url: img(2) });
    await status(s, id);
    await status(s, other);
    clock.advanceBy(5_000);
    await status(s, id);
    expect(s.record.violationsOf('poll-too-fast')).toHaveLength(0);
    clock.advanceBy(4_999);
    await status(s, id);
    expect(s.record.violationsOf('poll-too-fast')).toEqual([expect.objectContaining({ requestSeq: 6 })]);
  });

  it('does not flag fast polls when pollFloorMs is 0', async () => {
    const s = await sim({ clock: new VirtualClock() });
    const id = await create(s, { image_url: img() });
    await status(s, id);
    await status(s, id);
    expect(s.record.violations).toHaveLength(0);
  });

  it('catches every violation type with the request that caused it', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { imageMs: [1_000, 1_000] }, pollFloorMs: 1_000 } });
    await call(s, 'POST', `/v25.0/${USER}/media`, { json: { image_url: img(9), is_carousel_item: true, caption: 'x' } }); // 1
    await create(s, { media_type: 'STORIES', image_url: img(8), caption: 'x' }); // 2
    await call(s, 'GET', `/v25.0/${USER}/media`, { query: { access_token: TOKEN }, token: null }); // 3
    const id = await create(s, { image_url: img(1), caption: 'c' }); // 4
    await publish(s, id); // 5: not finished
    await status(s, id); // 6
    await status(s, id); // 7: too fast
    clock.advanceBy(1_000);
    await publish(s, id); // 8
    await publish(s, id); // 9: republish
    const twin = await create(s, { image_url: img(1), caption: 'c' }); // 10
    clock.advanceBy(1_000);
    await publish(s, twin); // 11: duplicate
    expect(s.record.violations.map((v) => [v.type, v.requestSeq])).toEqual([
      ['caption-on-carousel-item', 1],
      ['caption-on-story', 2],
      ['token-in-query', 3],
      ['publish-not-finished', 5],
      ['poll-too-fast', 7],
      ['republish', 9],
      ['duplicate-publish', 11],
    ]);
  });

  it('records requests with their endpoint, status and fault, and counts them', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const s = await sim({ clock, scenario: { processing: instant } });
    s.inject({ endpoint: 'status', fault: { type: 'http500' } });
    const id = await create(s, { image_url: img() });
    await call(s, 'GET', `/v25.0/${id}`);
    await publish(s, id);
    expect(s.record.requests.map((r) => [r.seq, r.endpoint, r.status, r.fault ?? null])).toEqual([
      [1, 'create', 200, null],
      [2, 'status', 500, 'http500'],
      [3, 'publish', 200, null],
    ]);
    expect(s.record.requests[1]).toMatchObject({ at: Date.UTC(2026, 0, 1), method: 'GET', path: `/v25.0/${id}`, account: USER });
    expect(s.record.count('create')).toBe(1);
    expect(s.record.count('publish')).toBe(1);
    expect(s.record.count('limit')).toBe(0);
  });

  it('records containers with their timeline and publish', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const s = await sim({ clock, scenario: { processing: { imageMs: [2_000, 2_000] } } });
    const id = await create(s, { image_url: img(), caption: 'c' });
    clock.advanceBy(2_000);
    const mediaId = (await publish(s, id)).json as { id: string };
    const t0 = Date.UTC(2026, 0, 1);
    expect(s.record.container(id)).toEqual({
      id,
      account: USER,
      kind: 'image',
      isCarouselItem: false,
      mediaType: 'IMAGE',
      productType: 'FEED',
      params: { image_url: img(), caption: 'c' },
      children: undefined,
      createdAt: t0,
      readyAt: t0 + 2_000,
      expiresAt: t0 + 86_400_000,
      outcome: { type: 'finish' },
      publishedAt: t0 + 2_000,
      mediaId: mediaId.id,
      publishedVia: undefined,
    });
  });
});
