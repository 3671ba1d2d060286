import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pinVideoFiles } from '../../src/engine/pin-video-files.js';
import { checkVideoFile } from '../../src/media/video-file-facts.js';
import { limits } from '../../src/spec/limits.js';
import type { PostSpec } from '../../src/spec/post-spec.js';
import { accepted, img } from '../spec/helpers.js';
import { writeNotVideo, writeVideoFile } from '../support/video-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'igflow-pin-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = (input: unknown): PostSpec => accepted(input, { login: 'facebook' });

describe('pinning local videos at intake', () => {
  it('gives each videoFile as its absolute path, size and SHA-256, resolved from the working directory given', async () => {
    const sha = await writeVideoFile(join(dir, 'clip.mp4'), 300_000);
    const result = await pinVideoFiles(spec({ kind: 'reel', videoFile: 'clip.mp4', caption: 'hi' }), dir);
    expect(result).toMatchObject({ ok: true, spec: { kind: 'reel', caption: 'hi', videoFile: { path: join(dir, 'clip.mp4'), size: 300_000, sha256: sha } } });
  });

  it('lists every bad file with its path in the spec, and leaves a spec without files alone', async () => {
    await writeNotVideo(join(dir, 'photo.mp4'));
    await writeFile(join(dir, 'empty.mp4'), '');
    const result = await pinVideoFiles(
      spec({ kind: 'carousel', items: [{ imageUrl: img() }, { videoFile: 'missing.mp4' }, { videoFile: 'photo.mp4' }, { videoFile: 'empty.mp4' }] }),
      dir,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: 'items[1].videoFile', message: 'missing.mp4 does not exist' },
      { path: 'items[2].videoFile', message: 'photo.mp4 is not an MP4 or MOV video (its first bytes say otherwise)' },
      { path: 'items[3].videoFile', message: 'empty.mp4 is empty' },
    ]);
    const image = spec({ kind: 'image', imageUrl: img() });
    expect(await pinVideoFiles(image, dir)).toEqual({ ok: true, spec: image });
  });

  it("refuses a video larger than Instagram takes for its kind (a story's limit is lower than a reel's)", async () => {
    const path = join(dir, 'big.mp4');
    await writeVideoFile(path, 1_000);
    await truncate(path, limits.videoFile.storyMaxBytes + 1); // sparse: no 100 MB written
    const story = await pinVideoFiles(spec({ kind: 'story', videoFile: path }), dir);
    expect(story).toEqual({ ok: false, issues: [{ path: 'videoFile', message: `${path} is 104857601 bytes (100.0 MB); Instagram takes at most 104857600 bytes (100.0 MB) here` }] });
    await truncate(path, limits.videoFile.reelMaxBytes + 1);
    const reel = await pinVideoFiles(spec({ kind: 'reel', videoFile: path }), dir);
    expect(reel.ok).toBe(false);
  });

  it('checks a pinned form against the file: another size or other bytes are a change', async () => {
    const path = join(dir, 'clip.mp4');
    const sha = await writeVideoFile(path, 50_000, 1);
    expect(await checkVideoFile(path, { maxBytes: 1e9, expected: { path, size: 50_000, sha256: sha } })).toEqual({ ok: true, file: { path, size: 50_000, sha256: sha } });
    await writeVideoFile(path, 50_000, 2);
    expect(await checkVideoFile(path, { maxBytes: 1e9, expected: { path, size: 50_000, sha256: sha } })).toEqual({ ok: false, problem: `${path} has changed since the post was accepted (its bytes differ)` });
    await writeVideoFile(path, 40_000, 1);
    expect(await checkVideoFile(path, { maxBytes: 1e9, expected: { path, size: 50_000, sha256: sha } })).toEqual({ ok: false, problem: `${path} has changed since the post was accepted (40000 bytes, not 50000)` });
  });
});
