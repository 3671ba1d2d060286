import { describe, expect, it } from 'vitest';
import { ContainerPlan } from '../../src/spec/container-plan.js';
import { GraphContainerParams } from '../../src/spec/graph-container-params.js';
import { containerPlan } from '../../src/spec/graph-params.js';
import { validatePostSpec } from '../../src/spec/validate.js';
import { accepted, img, vid } from './helpers.js';

const pinned = { path: '/videos/clip.mp4', size: 1_234, sha256: 'a'.repeat(64) };

describe('videoFile in a spec', () => {
  it('is refused under Instagram Login at every place it appears, with what to do instead', () => {
    const result = validatePostSpec({ kind: 'carousel', items: [{ imageUrl: img() }, { videoFile: './b.mp4' }, { videoFile: './c.mp4' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(['items[1].videoFile', 'items[2].videoFile']);
    expect(result.issues[0]?.message).toMatch(/Facebook Login \(--login facebook\).*videoUrl/);
  });

  it('is listed with the other problems of the spec, not instead of them', () => {
    const result = validatePostSpec({ kind: 'reel', videoFile: './a.mp4', caption: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(['caption', 'videoFile']);
  });

  it('takes the place of videoUrl on a reel, a story, a stories item and a carousel video under Facebook Login', () => {
    for (const spec of [
      { kind: 'reel', videoFile: './a.mp4' },
      { kind: 'story', videoFile: './a.mp4' },
      { kind: 'stories', items: [{ imageUrl: img() }, { videoFile: pinned }] },
      { kind: 'carousel', items: [{ imageUrl: img() }, { videoFile: './b.mp4', thumbOffsetMs: 10 }] },
    ]) {
      expect(validatePostSpec(spec, { login: 'facebook' })).toMatchObject({ ok: true });
    }
  });

  it('is one of the media: never beside videoUrl or imageUrl, and a reel needs one of the two', () => {
    const problems = (spec: unknown) => {
      const result = validatePostSpec(spec, { login: 'facebook' });
      return result.ok ? [] : result.issues.map((i) => i.message);
    };
    expect(problems({ kind: 'reel', videoUrl: vid(), videoFile: './a.mp4' })).toEqual(['a reel takes videoUrl or videoFile, not both']);
    expect(problems({ kind: 'reel' })).toEqual(['a reel needs videoUrl (a public https URL) or videoFile (a local file)']);
    expect(problems({ kind: 'story', imageUrl: img(), videoFile: './a.mp4' })).toEqual(['a story takes one of imageUrl, videoUrl or videoFile']);
    expect(problems({ kind: 'image', imageUrl: img(), videoFile: './a.mp4' })).toEqual(['unknown field']);
  });

  it('in its pinned form needs a whole positive size and a SHA-256 in hex', () => {
    const result = validatePostSpec({ kind: 'reel', videoFile: { path: 'a.mp4', size: 1.5, sha256: 'XYZ' } }, { login: 'facebook' });
    expect(result.ok).toBe(false);
  });
});

describe('the plan of a videoFile', () => {
  it('is a resumable container without video_url, with the pinned file to upload', () => {
    const plan = containerPlan(accepted({ kind: 'reel', videoFile: pinned, caption: 'hi' }, { login: 'facebook' }));
    expect(ContainerPlan.safeParse(plan).success).toBe(true);
    expect(plan).toEqual({ kind: 'single', media: 'video', params: { media_type: 'REELS', upload_type: 'resumable', caption: 'hi' }, upload: { from: 'file', ...pinned } });
  });

  it('keeps carousel and story video items resumable, and images as they are', () => {
    const carousel = containerPlan(accepted({ kind: 'carousel', items: [{ imageUrl: img() }, { videoFile: pinned }] }, { login: 'facebook' }));
    if (carousel.kind !== 'carousel') throw new Error('a carousel plan');
    expect(carousel.children[0]?.upload).toBeUndefined();
    expect(carousel.children[1]).toEqual({ media: 'video', params: { media_type: 'VIDEO', upload_type: 'resumable', is_carousel_item: true }, upload: { from: 'file', ...pinned } });
    const stories = containerPlan(accepted({ kind: 'stories', items: [{ videoFile: pinned }] }, { login: 'facebook' }));
    if (stories.kind !== 'stories') throw new Error('a stories plan');
    expect(stories.items[0]?.params).toEqual({ media_type: 'STORIES', upload_type: 'resumable' });
  });

  it('is checked like every container: upload_type only on videos, never with video_url', () => {
    expect(GraphContainerParams.safeParse({ media_type: 'REELS', upload_type: 'resumable' }).success).toBe(true);
    expect(GraphContainerParams.safeParse({ media_type: 'REELS', upload_type: 'resumable', video_url: vid() }).success).toBe(false);
    expect(GraphContainerParams.safeParse({ image_url: img(), upload_type: 'resumable' }).success).toBe(false);
  });
});
