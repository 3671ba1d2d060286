import { describe, expect, it } from 'vitest';
import { imageFacts } from '../../src/media/image-facts.js';
import { judgeImage, judgeVideo } from '../../src/media/media-rules.js';
import { mediaTargets } from '../../src/media/media-targets.js';
import { videoFacts } from '../../src/media/video-facts.js';
import { limits } from '../../src/spec/limits.js';
import { parsePostSpec } from '../../src/spec/validate.js';
import { bytesOf, jpeg, mp4, png } from '../support/media-fixtures.js';

const HEAD = limits.mediaCheck.headBytes;
const head = (media: Parameters<typeof bytesOf>[0]) => bytesOf(media, 0, HEAD - 1);
const feed = (width: number, height: number) => judgeImage('feed-image', imageFacts(head(jpeg(width, height))), undefined, HEAD).problems;

describe('media rules', () => {
  it('reads a JPEG and a PNG from their first bytes with image-size', () => {
    expect(imageFacts(head(jpeg(1080, 1350)))).toEqual({ format: 'jpg', width: 1080, height: 1350 });
    expect(imageFacts(head(png(640, 480)))).toEqual({ format: 'png', width: 640, height: 480 });
    expect(imageFacts(Buffer.from('<html>no</html>'))).toEqual({ format: undefined });
  });

  it('accepts feed images from 4:5 to 1.91:1, edges included, and refuses just outside them', () => {
    expect(feed(1080, 1350)).toEqual([]); // 4:5 exactly
    expect(feed(1910, 1000)).toEqual([]); // 1.91:1 exactly
    expect(feed(1080, 566)).toEqual([]); // Meta's own example, 1.908
    expect(feed(1080, 1080)).toEqual([]);
    expect(feed(1000, 1300)).toHaveLength(1); // 0.77
    expect(feed(2000, 1000)).toHaveLength(1); // 2:1
    expect(judgeImage('story-image', imageFacts(head(jpeg(300, 900))), undefined, HEAD).problems).toEqual([]);
  });

  it('refuses an image over 8 MiB and takes one of exactly 8 MiB', () => {
    const facts = imageFacts(head(jpeg(1080, 1080)));
    expect(judgeImage('story-image', facts, limits.media.imageMaxBytes, HEAD).problems).toEqual([]);
    expect(judgeImage('story-image', facts, limits.media.imageMaxBytes + 1, HEAD).problems).toEqual([expect.stringMatching(/at most 8\.0 MB/) as unknown]);
  });

  it('says so, without refusing, when a JPEG frame header lies beyond the bytes read', () => {
    const verdict = judgeImage('feed-image', imageFacts(head(jpeg(300, 900, { paddingBytes: 60_000 * 5 }))), undefined, HEAD);
    expect(verdict.problems).toEqual([]);
    expect(verdict.unchecked).toEqual([`its width and height are not in its first ${HEAD} bytes, so its aspect ratio was not checked`]);
  });

  it('finds moov in front of or behind mdat, and the mvhd duration, with mp4box', () => {
    expect(videoFacts(head(mp4(12_500, { moov: 'front' })))).toEqual({ isMp4: true, moovFirst: true, durationMs: 12_500 });
    expect(videoFacts(head(mp4(12_500, { moov: 'end', mdatBytes: 1024 * 1024 })))).toEqual({ isMp4: true, moovFirst: false, durationMs: undefined });
    expect(videoFacts(head(png(10, 10)))).toEqual({ isMp4: false, moovFirst: undefined, durationMs: undefined });
  });

  it('judges a video by the limits of its kind: 3 s..15 min for reels, 3..60 s for stories', () => {
    const of = (ms: number) => videoFacts(head(mp4(ms, { moov: 'front' })));
    expect(judgeVideo('reel', of(3_000), undefined, HEAD).problems).toEqual([]);
    expect(judgeVideo('reel', of(15 * 60_000), undefined, HEAD).problems).toEqual([]);
    expect(judgeVideo('story-video', of(60_000), undefined, HEAD).problems).toEqual([]);
    expect(judgeVideo('story-video', of(61_000), undefined, HEAD).problems).toEqual(['lasts 61 s: Instagram takes a story video of at most 1 min']);
    expect(judgeVideo('carousel-video', of(90_000), undefined, HEAD).problems).toEqual([]);
    expect(judgeVideo('story-video', of(30_000), limits.media.storyVideoMaxBytes + 1, HEAD).problems).toHaveLength(1);
  });

  it('names each media of a spec by its path and role', () => {
    const spec = parsePostSpec({
      kind: 'carousel',
      items: [{ imageUrl: 'https://cdn.example/a.jpg' }, { videoUrl: 'https://cdn.example/b.mp4' }],
    });
    expect(mediaTargets(spec).map((t) => [t.path, t.role])).toEqual([
      ['items[0].imageUrl', 'carousel-image'],
      ['items[1].videoUrl', 'carousel-video'],
    ]);
    const reel = parsePostSpec({ kind: 'reel', videoUrl: 'https://cdn.example/v.mp4', coverUrl: 'https://cdn.example/c.jpg' });
    expect(mediaTargets(reel).map((t) => [t.path, t.role])).toEqual([
      ['videoUrl', 'reel'],
      ['coverUrl', 'cover'],
    ]);
  });
});
