import { describe, expect, it } from 'vitest';
import { img, issuesOf, vid } from './helpers.js';

const twoImages = [{ imageUrl: img(1) }, { imageUrl: img(2) }];
const carouselWith = (item: Record<string, unknown>) => ({ kind: 'carousel', items: [{ imageUrl: img(0) }, item] });

/** [what, spec, path, message] — each known-wrong field reports a specific message at its own path. */
const cases: [string, unknown, string, string][] = [
  ['caption on a story', { kind: 'story', imageUrl: img(), caption: 'hi' }, 'caption', 'stories take no caption: Instagram ignores it, so igflow rejects it'],
  ['caption on a stories item', { kind: 'stories', items: [{ imageUrl: img() }, { videoUrl: vid(), caption: 'hi' }] }, 'items[1].caption', 'stories take no caption: Instagram ignores it, so igflow rejects it'],
  ['caption on a stories sequence', { kind: 'stories', caption: 'hi', items: [{ imageUrl: img() }] }, 'caption', 'stories take no caption: Instagram ignores it, so igflow rejects it'],
  ['caption on a carousel image item', carouselWith({ imageUrl: img(), caption: 'hi' }), 'items[1].caption', 'carousel items take no caption: put it on the carousel'],
  ['caption on a carousel video item', carouselWith({ videoUrl: vid(), caption: 'hi' }), 'items[1].caption', 'carousel items take no caption: put it on the carousel'],
  ['altText on a reel', { kind: 'reel', videoUrl: vid(), altText: 'a' }, 'altText', 'reels take no altText: alt text is for images only'],
  ['altText on a story', { kind: 'story', imageUrl: img(), altText: 'a' }, 'altText', 'stories take no altText: alt text is for feed and carousel images only'],
  ['altText on a stories item', { kind: 'stories', items: [{ imageUrl: img(), altText: 'a' }] }, 'items[0].altText', 'stories take no altText: alt text is for feed and carousel images only'],
  ['altText on a carousel video item', carouselWith({ videoUrl: vid(), altText: 'a' }), 'items[1].altText', 'video items take no altText: alt text is for images only'],
  ['altText on the carousel itself', { kind: 'carousel', altText: 'a', items: twoImages }, 'altText', 'altText goes on each image item, not on the carousel'],
  ['userTags on a carousel video item', carouselWith({ videoUrl: vid(), userTags: [{ username: 'a', x: 0, y: 0 }] }), 'items[1].userTags', 'video items take no userTags: tags are for image items only'],
  ['thumbOffsetMs on a carousel image item', carouselWith({ imageUrl: img(), thumbOffsetMs: 0 }), 'items[1].thumbOffsetMs', 'thumbOffsetMs is for video items only'],
  ['isAiGenerated on a carousel item', carouselWith({ imageUrl: img(), isAiGenerated: true }), 'items[1].isAiGenerated', 'isAiGenerated goes on the carousel, not on its items'],
  ['locationId on a carousel item', carouselWith({ videoUrl: vid(), locationId: '1' }), 'items[1].locationId', 'locationId goes on the carousel, not on its items'],
  ['collaborators on a carousel item', carouselWith({ imageUrl: img(), collaborators: ['a'] }), 'items[1].collaborators', 'collaborators go on the carousel, not on its items'],
  ['collaborators on a story', { kind: 'story', videoUrl: vid(), collaborators: ['a'] }, 'collaborators', 'stories take no collaborators'],
  ['imageUrl and videoUrl on a story', { kind: 'story', imageUrl: img(), videoUrl: vid() }, '(root)', 'a story takes one of imageUrl, videoUrl or videoFile'],
  ['neither imageUrl nor videoUrl on a story', { kind: 'story' }, '(root)', 'a story needs imageUrl (image), videoUrl or videoFile (video)'],
  ['imageUrl and videoUrl on a stories item', { kind: 'stories', items: [{ imageUrl: img(), videoUrl: vid() }] }, 'items[0]', 'a story takes one of imageUrl, videoUrl or videoFile'],
  ['neither on a stories item', { kind: 'stories', items: [{ imageUrl: img() }, { userTags: [] }] }, 'items[1]', 'a story needs imageUrl (image), videoUrl or videoFile (video)'],
  ['imageUrl and videoUrl on a carousel item', carouselWith({ imageUrl: img(), videoUrl: vid() }), 'items[1]', 'a carousel item takes one of imageUrl (image), videoUrl or videoFile (video)'],
  ['neither on a carousel item', carouselWith({}), 'items[1]', 'a carousel item needs imageUrl (image), videoUrl or videoFile (video)'],
  ['x on a reel user tag', { kind: 'reel', videoUrl: vid(), userTags: [{ username: 'a', x: 0.5 }] }, 'userTags[0].x', 'reels take usernames only: x and y apply to images and stories'],
  ['videoUrl on an image post', { kind: 'image', imageUrl: img(), videoUrl: vid() }, 'videoUrl', 'an image post takes imageUrl; for a single video use kind "reel"'],
  ['imageUrl on a reel', { kind: 'reel', videoUrl: vid(), imageUrl: img() }, 'imageUrl', 'a reel takes videoUrl or videoFile; for an image use kind "image"'],
  ['an unknown field', { kind: 'image', imageUrl: img(), captoin: 'typo' }, 'captoin', 'unknown field'],
  ['an unknown field in a carousel item', carouselWith({ imageUrl: img(), mediaType: 'IMAGE' }), 'items[1].mediaType', 'unknown field'],
  ['an unknown kind', { kind: 'video', videoUrl: vid() }, 'kind', 'kind must be one of "image", "reel", "story", "stories", "carousel"'],
  ['a missing kind', { imageUrl: img() }, 'kind', 'kind must be one of "image", "reel", "story", "stories", "carousel"'],
];

describe('known-wrong fields are reported at their path with a specific message', () => {
  it.each(cases)('%s', (_what, spec, path, message) => {
    expect(issuesOf(spec)).toEqual([{ path, message }]);
  });
});
