import { describe, expect, it } from 'vitest';
import { ContainerPlan } from '../../src/spec/container-plan.js';
import { GraphContainerParams } from '../../src/spec/graph-container-params.js';
import { carouselParentParams, containerPlan } from '../../src/spec/graph-params.js';
import { accepted, img, vid } from './helpers.js';

const planOf = (input: unknown, login: 'instagram' | 'facebook' = 'instagram') => {
  const plan = containerPlan(accepted(input, { login }));
  expect(ContainerPlan.safeParse(plan).success).toBe(true);
  return plan;
};

describe('image', () => {
  it('maps every field to one container without media_type', () => {
    const plan = planOf(
      {
        kind: 'image',
        imageUrl: img(),
        caption: 'Dawn #travel',
        altText: 'Harbour at dawn',
        userTags: [{ username: '@someone', x: 0.5, y: 0.8 }],
        locationId: '110123456789',
        isAiGenerated: false,
        collaborators: ['@pal'],
        brandedContentSponsorIds: ['17841'],
        isPaidPartnership: true,
        id: 'post-1',
        publishAt: '2026-05-01T09:00:00Z',
      },
      'facebook',
    );
    expect(plan).toEqual({
      kind: 'single',
      media: 'image',
      params: {
        image_url: img(),
        caption: 'Dawn #travel',
        alt_text: 'Harbour at dawn',
        user_tags: [{ username: 'someone', x: 0.5, y: 0.8 }],
        location_id: '110123456789',
        is_ai_generated: false,
        collaborators: ['pal'],
        branded_content_sponsor_ids: ['17841'],
        is_paid_partnership: true,
      },
    });
  });
  it('sends only what the spec gives; empty lists are left out', () => {
    expect(planOf({ kind: 'image', imageUrl: img(), userTags: [], collaborators: [] })).toEqual({
      kind: 'single',
      media: 'image',
      params: { image_url: img() },
    });
  });
});

describe('reel', () => {
  it('is media_type REELS (never VIDEO) with every reel field', () => {
    const plan = planOf({
      kind: 'reel',
      videoUrl: vid(),
      caption: 'BTS',
      coverUrl: img('cover'),
      thumbOffsetMs: 1500,
      shareToFeed: true,
      trialParams: { graduationStrategy: 'SS_PERFORMANCE' },
      userTags: [{ username: 'friend' }],
      locationId: '42',
      collaborators: ['a', 'b', 'c'],
      audioName: 'Original audio',
      isAiGenerated: true,
    });
    expect(plan).toEqual({
      kind: 'single',
      media: 'video',
      params: {
        media_type: 'REELS',
        video_url: vid(),
        caption: 'BTS',
        cover_url: img('cover'),
        thumb_offset: 1500,
        share_to_feed: true,
        trial_params: { graduation_strategy: 'SS_PERFORMANCE' },
        user_tags: [{ username: 'friend' }],
        location_id: '42',
        collaborators: ['a', 'b', 'c'],
        audio_name: 'Original audio',
        is_ai_generated: true,
      },
    });
  });
  it('a bare reel is still REELS', () => {
    const plan = planOf({ kind: 'reel', videoUrl: vid() });
    expect(plan).toEqual({ kind: 'single', media: 'video', params: { media_type: 'REELS', video_url: vid() } });
  });
});

describe('story and stories', () => {
  it('maps an image story and a video story to STORIES containers', () => {
    expect(planOf({ kind: 'story', imageUrl: img(), userTags: [{ username: 'a' }, { username: 'b', x: 0.1, y: 0.9 }] })).toEqual({
      kind: 'single',
      media: 'image',
      params: { media_type: 'STORIES', image_url: img(), user_tags: [{ username: 'a' }, { username: 'b', x: 0.1, y: 0.9 }] },
    });
    expect(planOf({ kind: 'story', videoUrl: vid() })).toEqual({
      kind: 'single',
      media: 'video',
      params: { media_type: 'STORIES', video_url: vid() },
    });
  });
  it('maps a sequence to one container per item, in order', () => {
    const plan = planOf({ kind: 'stories', items: [{ videoUrl: vid(1) }, { imageUrl: img(2) }, { imageUrl: img(3) }] });
    expect(plan).toEqual({
      kind: 'stories',
      items: [
        { media: 'video', params: { media_type: 'STORIES', video_url: vid(1) } },
        { media: 'image', params: { media_type: 'STORIES', image_url: img(2) } },
        { media: 'image', params: { media_type: 'STORIES', image_url: img(3) } },
      ],
    });
  });
});

describe('carousel', () => {
  const spec = {
    kind: 'carousel',
    caption: 'Swipe',
    locationId: '7',
    collaborators: ['@pal'],
    isAiGenerated: true,
    items: [
      { imageUrl: img(1), altText: 'first', userTags: [{ username: 'u', x: 0, y: 1 }] },
      { videoUrl: vid(2), thumbOffsetMs: 0 },
      { imageUrl: img(3) },
    ],
  };

  it('maps image children with is_carousel_item and video children with VIDEO + is_carousel_item', () => {
    const plan = planOf(spec);
    if (plan.kind !== 'carousel') throw new Error('expected a carousel plan');
    expect(plan.children).toEqual([
      { media: 'image', params: { image_url: img(1), is_carousel_item: true, alt_text: 'first', user_tags: [{ username: 'u', x: 0, y: 1 }] } },
      { media: 'video', params: { media_type: 'VIDEO', video_url: vid(2), is_carousel_item: true, thumb_offset: 0 } },
      { media: 'image', params: { image_url: img(3), is_carousel_item: true } },
    ]);
  });

  it('puts caption, location, collaborators and is_ai_generated on the parent only', () => {
    const plan = planOf(spec);
    if (plan.kind !== 'carousel') throw new Error('expected a carousel plan');
    for (const child of plan.children) {
      for (const key of ['caption', 'is_ai_generated', 'location_id', 'collaborators']) expect(child.params).not.toHaveProperty(key);
    }
    expect(plan.parent).toEqual({
      media: 'video',
      params: { media_type: 'CAROUSEL', caption: 'Swipe', location_id: '7', collaborators: ['pal'], is_ai_generated: true },
    });
  });

  it('an all-image carousel has an image parent', () => {
    const plan = planOf({ kind: 'carousel', items: [{ imageUrl: img(1) }, { imageUrl: img(2) }] });
    expect(plan.kind === 'carousel' && plan.parent.media).toBe('image');
  });

  it('joins the child ids with commas in item order', () => {
    const plan = planOf(spec);
    if (plan.kind !== 'carousel') throw new Error('expected a carousel plan');
    const parent = carouselParentParams(plan.parent.params, ['C1', 'C2', 'C3']);
    expect(parent).toEqual({
      media_type: 'CAROUSEL',
      children: 'C1,C2,C3',
      caption: 'Swipe',
      location_id: '7',
      collaborators: ['pal'],
      is_ai_generated: true,
    });
    expect(typeof parent.children).toBe('string');
    expect(GraphContainerParams.safeParse(parent).success).toBe(true);
  });

  it('refuses fewer than 2 or more than 10 child ids, and ids with commas', () => {
    const base = { media_type: 'CAROUSEL' as const };
    expect(() => carouselParentParams(base, ['1'])).toThrow(RangeError);
    expect(() => carouselParentParams(base, Array.from({ length: 11 }, (_, i) => `${i}`))).toThrow(RangeError);
    expect(() => carouselParentParams(base, ['1', '2,3'])).toThrow(RangeError);
    expect(() => carouselParentParams(base, ['1', ''])).toThrow(RangeError);
    expect(carouselParentParams(base, Array.from({ length: 10 }, (_, i) => `${i}`)).children).toBe('0,1,2,3,4,5,6,7,8,9');
  });
});

describe('GraphContainerParams rejects what Meta rejects (so the mapping checks can fail)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a single VIDEO', { media_type: 'VIDEO', video_url: vid() }],
    ['a video without media_type', { video_url: vid() }],
    ['a caption on a carousel child', { image_url: img(), is_carousel_item: true, caption: 'x' }],
    ['is_ai_generated on a carousel child', { media_type: 'VIDEO', video_url: vid(), is_carousel_item: true, is_ai_generated: true }],
    ['location_id on a carousel child', { image_url: img(), is_carousel_item: true, location_id: '1' }],
    ['collaborators on a carousel child', { image_url: img(), is_carousel_item: true, collaborators: ['a'] }],
    ['REELS as a carousel child', { media_type: 'REELS', video_url: vid(), is_carousel_item: true }],
    ['children as an array', { media_type: 'CAROUSEL', children: ['1', '2'] }],
    ['one child', { media_type: 'CAROUSEL', children: '1' }],
    ['a caption on a story', { media_type: 'STORIES', image_url: img(), caption: 'x' }],
    ['alt_text on a reel', { media_type: 'REELS', video_url: vid(), alt_text: 'x' }],
    ['x/y on a reel tag', { media_type: 'REELS', video_url: vid(), user_tags: [{ username: 'a', x: 0, y: 0 }] }],
    ['a feed image tag without x/y', { image_url: img(), user_tags: [{ username: 'a' }] }],
    ['a camelCase key', { image_url: img(), altText: 'x' }],
    ['an @ in a handle', { image_url: img(), collaborators: ['@a'] }],
    ['an empty list', { image_url: img(), collaborators: [] }],
  ])('%s', (_what, params) => {
    expect(GraphContainerParams.safeParse(params).success).toBe(false);
  });
});
