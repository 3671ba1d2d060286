import { describe, expect, it } from 'vitest';
import { limits } from '../../src/spec/limits.js';
import { accepted, carouselItems, img, issuesOf, vid } from './helpers.js';

const image = (extra: Record<string, unknown>) => ({ kind: 'image', imageUrl: img(), ...extra });
const usernames = (n: number) => Array.from({ length: n }, (_, i) => `user${i}`);

describe('limits', () => {
  it('holds the numbers of docs/graph-api.md#limits-checked-before-any-request and is frozen', () => {
    expect(limits.caption).toEqual({ maxLength: 2200, maxHashtags: 30, maxMentions: 20 });
    expect(limits.altText.maxLength).toBe(1000);
    expect(limits.carousel).toEqual({ minItems: 2, maxItems: 10 });
    expect(limits.stories).toEqual({ minItems: 1, maxItems: 100 });
    expect(limits.collaborators.maxCount).toBe(3);
    expect(limits.brandedContentSponsorIds.maxCount).toBe(2);
    expect(Object.isFrozen(limits)).toBe(true);
    expect(Object.isFrozen(limits.caption)).toBe(true);
  });
});

describe('caption length (2200 UTF-16 units)', () => {
  it('accepts exactly 2200 units', () => {
    expect(accepted(image({ caption: 'a'.repeat(2200) }))).toMatchObject({ caption: 'a'.repeat(2200) });
  });
  it('rejects 2201 units at caption', () => {
    expect(issuesOf(image({ caption: 'a'.repeat(2201) }))).toEqual([
      { path: 'caption', message: 'caption is 2201 characters (UTF-16 units); the maximum is 2200' },
    ]);
  });
  it('counts UTF-16 units, not code points: 1100 emoji pass, 2199 letters + 1 emoji fail', () => {
    accepted(image({ caption: '😀'.repeat(1100) }));
    expect(issuesOf(image({ caption: `${'a'.repeat(2199)}😀` }))).toEqual([
      { path: 'caption', message: 'caption is 2201 characters (UTF-16 units); the maximum is 2200' },
    ]);
  });
});

describe('hashtags (30) and @mentions (20)', () => {
  it('accepts 30 hashtags and 20 mentions', () => {
    accepted(image({ caption: `${'#tag '.repeat(30)}${'@who '.repeat(20)}` }));
  });
  it('rejects 31 hashtags at caption', () => {
    expect(issuesOf(image({ caption: '#t '.repeat(31) }))).toEqual([
      { path: 'caption', message: 'caption has 31 hashtags; the maximum is 30' },
    ]);
  });
  it('rejects 21 mentions at caption', () => {
    expect(issuesOf(image({ caption: '@u '.repeat(21) }))).toEqual([
      { path: 'caption', message: 'caption has 21 @mentions; the maximum is 20' },
    ]);
  });
  it('reports length, hashtags and mentions together, each with its own message', () => {
    const caption = `${'#a'.repeat(31)}${'@b'.repeat(21)}${'x'.repeat(2200)}`;
    expect(issuesOf({ kind: 'carousel', caption, items: carouselItems(2) }).map((i) => i.message)).toEqual([
      `caption is ${caption.length} characters (UTF-16 units); the maximum is 2200`,
      'caption has 31 hashtags; the maximum is 30',
      'caption has 21 @mentions; the maximum is 20',
    ]);
  });
});

describe('altText (1000)', () => {
  it('accepts 1000 characters on an image and on a carousel image item', () => {
    accepted(image({ altText: 'a'.repeat(1000) }));
    accepted({ kind: 'carousel', items: [{ imageUrl: img(), altText: 'a'.repeat(1000) }, { imageUrl: img(2) }] });
  });
  it('rejects 1001 characters with its path', () => {
    expect(issuesOf(image({ altText: 'a'.repeat(1001) }))).toEqual([
      { path: 'altText', message: 'altText is 1001 characters; the maximum is 1000' },
    ]);
    expect(issuesOf({ kind: 'carousel', items: [{ imageUrl: img() }, { imageUrl: img(2), altText: 'a'.repeat(1001) }] })).toEqual([
      { path: 'items[1].altText', message: 'altText is 1001 characters; the maximum is 1000' },
    ]);
  });
});

describe('carousel items (2..10)', () => {
  it.each([2, 10])('accepts %i items', (n) => {
    accepted({ kind: 'carousel', items: carouselItems(n) });
  });
  it.each([0, 1, 11])('rejects %i items at items', (n) => {
    expect(issuesOf({ kind: 'carousel', items: carouselItems(n) })).toEqual([
      { path: 'items', message: `a carousel takes 2 to 10 items (got ${n})` },
    ]);
  });
  it('still reports problems inside the items of an oversized carousel', () => {
    const items = [...carouselItems(10), { imageUrl: 'http://cdn.example/x.jpg' }];
    expect(issuesOf({ kind: 'carousel', items })).toEqual([
      { path: 'items[10].imageUrl', message: 'must use https://' },
      { path: 'items', message: 'a carousel takes 2 to 10 items (got 11)' },
    ]);
  });
  it('rejects a runaway array with one issue, without inspecting each item', () => {
    const items = Array.from({ length: 100_000 }, () => 42);
    expect(issuesOf({ kind: 'carousel', items })).toEqual([
      { path: 'items', message: 'a carousel takes 2 to 10 items (got 100000)' },
    ]);
  });
});

describe('stories items (1..100, the upper bound is ours)', () => {
  const story = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? { videoUrl: vid(i) } : { imageUrl: img(i) }));
  it.each([1, 100])('accepts %i items', (n) => {
    accepted({ kind: 'stories', items: story(n) });
  });
  it.each([0, 101])('rejects %i items at items', (n) => {
    expect(issuesOf({ kind: 'stories', items: story(n) })).toEqual([
      { path: 'items', message: `a stories sequence takes 1 to 100 items (got ${n})` },
    ]);
  });
});

describe('collaborators (3) and sponsors (2)', () => {
  it('accepts 3 collaborators on image, reel and carousel', () => {
    accepted(image({ collaborators: usernames(3) }));
    accepted({ kind: 'reel', videoUrl: vid(), collaborators: usernames(3) });
    accepted({ kind: 'carousel', items: carouselItems(2), collaborators: usernames(3) });
  });
  it('rejects 4 collaborators at collaborators', () => {
    expect(issuesOf(image({ collaborators: usernames(4) }))).toEqual([
      { path: 'collaborators', message: '4 collaborators is too many; the maximum is 3' },
    ]);
  });
  it('accepts 2 sponsor ids and rejects 3 (Facebook Login)', () => {
    accepted(image({ brandedContentSponsorIds: ['1', '2'] }), { login: 'facebook' });
    expect(issuesOf(image({ brandedContentSponsorIds: ['1', '2', '3'] }), { login: 'facebook' })).toEqual([
      { path: 'brandedContentSponsorIds', message: '3 sponsor ids is too many; the maximum is 2' },
    ]);
  });
});

describe('user tag coordinates (0..1)', () => {
  it.each([0, 1, 0.5])('accepts x = y = %d', (v) => {
    accepted(image({ userTags: [{ username: 'a', x: v, y: v }] }));
  });
  it.each([-0.001, 1.001])('rejects x = %d at userTags[0].x', (v) => {
    expect(issuesOf(image({ userTags: [{ username: 'a', x: v, y: 0.5 }] }))).toEqual([
      { path: 'userTags[0].x', message: 'x must be from 0 to 1 (measured from the left)' },
    ]);
  });
  it('requires x and y on image tags, each at its path', () => {
    expect(issuesOf(image({ userTags: [{ username: 'a' }] }))).toEqual([
      { path: 'userTags[0].x', message: 'x is required: 0–1 from the left' },
      { path: 'userTags[0].y', message: 'y is required: 0–1 from the top' },
    ]);
  });
  it('makes x and y optional on story tags', () => {
    accepted({ kind: 'story', imageUrl: img(), userTags: [{ username: 'a' }, { username: 'b', x: 1, y: 0 }] });
  });
});

describe('thumbOffsetMs (integer ≥ 0)', () => {
  it('accepts 0', () => {
    accepted({ kind: 'reel', videoUrl: vid(), thumbOffsetMs: 0 });
  });
  it('rejects -1 and 1.5', () => {
    expect(issuesOf({ kind: 'reel', videoUrl: vid(), thumbOffsetMs: -1 })).toEqual([
      { path: 'thumbOffsetMs', message: 'thumbOffsetMs must be ≥ 0' },
    ]);
    expect(issuesOf({ kind: 'carousel', items: [{ imageUrl: img() }, { videoUrl: vid(), thumbOffsetMs: 1.5 }] })).toEqual([
      { path: 'items[1].thumbOffsetMs', message: 'thumbOffsetMs must be a whole number of milliseconds' },
    ]);
  });
});

describe('id (≤ 200 characters, ours) and usernames (≤ 30, ours)', () => {
  it('accepts an id of 200 and rejects 201 or empty', () => {
    accepted(image({ id: 'k'.repeat(200) }));
    expect(issuesOf(image({ id: 'k'.repeat(201) }))).toEqual([{ path: 'id', message: 'id must be at most 200 characters' }]);
    expect(issuesOf(image({ id: '' }))).toEqual([{ path: 'id', message: 'id must not be empty' }]);
  });
  it('accepts a 30-character handle (after the @) and rejects 31', () => {
    accepted(image({ collaborators: [`@${'a'.repeat(30)}`] }));
    expect(issuesOf(image({ collaborators: ['a'.repeat(31)] }))).toEqual([
      { path: 'collaborators[0]', message: 'username is 31 characters; the maximum is 30' },
    ]);
  });
});
