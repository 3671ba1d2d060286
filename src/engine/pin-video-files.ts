import { checkVideoFile } from '../media/video-file-facts.js';
import { formatPath, type SpecIssue } from '../spec/issues.js';
import { limits } from '../spec/limits.js';
import type { PostSpec } from '../spec/post-spec.js';
import { videoFilePath, type VideoFile } from '../spec/video-file.js';

/** A spec whose local video files are all checked and pinned, or every problem with them. */
export type PinnedSpec = { readonly ok: true; readonly spec: PostSpec } | { readonly ok: false; readonly issues: readonly SpecIssue[] };

type WithFile = { readonly videoFile?: VideoFile | undefined };

/**
 * Checks every `videoFile` of a valid spec (exists, readable, within the
 * size Instagram takes for its kind, an MP4/MOV) and gives it in its pinned
 * form (absolute path, size, SHA-256), so that the stored post names
 * exactly these bytes: a file that changes or goes before the upload is an
 * error for that post, never a wrong upload. A spec without files is
 * returned as it is.
 */
export async function pinVideoFiles(spec: PostSpec, cwd?: string): Promise<PinnedSpec> {
  // the files are checked at once; their issues are listed in the spec's order, not in the order the checks end
  const found: { readonly order: number; readonly issue: SpecIssue }[] = [];
  const pin = async <T extends WithFile>(media: T, path: readonly (string | number)[], maxBytes: number): Promise<T> => {
    if (media.videoFile === undefined) return media;
    const file = media.videoFile;
    const check = await checkVideoFile(videoFilePath(file), { maxBytes, ...(cwd === undefined ? {} : { cwd }), ...(typeof file === 'string' ? {} : { expected: file }) });
    if (!check.ok) {
      found.push({ order: typeof path[1] === 'number' ? path[1] : 0, issue: { path: formatPath([...path, 'videoFile']), message: check.problem } });
      return media;
    }
    return { ...media, videoFile: check.file };
  };
  const { reelMaxBytes, storyMaxBytes } = limits.videoFile;
  let pinned: PostSpec;
  switch (spec.kind) {
    case 'image':
      return { ok: true, spec };
    case 'reel':
      pinned = await pin(spec, [], reelMaxBytes);
      break;
    case 'story':
      pinned = await pin(spec, [], storyMaxBytes);
      break;
    case 'stories':
      pinned = { ...spec, items: await Promise.all(spec.items.map((item, i) => pin(item, ['items', i], storyMaxBytes))) };
      break;
    case 'carousel':
      pinned = { ...spec, items: await Promise.all(spec.items.map((item, i) => pin(item, ['items', i], reelMaxBytes))) };
      break;
  }
  const issues = found.sort((a, b) => a.order - b.order).map((entry) => entry.issue);
  return issues.length === 0 ? { ok: true, spec: pinned } : { ok: false, issues };
}
