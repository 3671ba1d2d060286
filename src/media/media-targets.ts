import { formatPath } from '../spec/issues.js';
import type { PostSpec } from '../spec/post-spec.js';
import { videoFilePath, type VideoFile } from '../spec/video-file.js';

/** Which of Instagram's media rules a media falls under (docs/graph-api.md#media-checks-before-any-container). */
export type MediaRole = 'feed-image' | 'carousel-image' | 'story-image' | 'cover' | 'reel' | 'story-video' | 'carousel-video';

/** One media of a spec to check: its path in the spec, its rules, and where its bytes are. */
export interface MediaTarget {
  /** Like `items[1].imageUrl`. */
  readonly path: string;
  readonly role: MediaRole;
  readonly source: { readonly url: string } | { readonly file: string };
}

type Media = { readonly imageUrl?: string | undefined; readonly videoUrl?: string | undefined; readonly videoFile?: VideoFile | undefined };

function targetsOf(media: Media, at: readonly (string | number)[], image: MediaRole, video: MediaRole): MediaTarget[] {
  const out: MediaTarget[] = [];
  if (media.imageUrl !== undefined) out.push({ path: formatPath([...at, 'imageUrl']), role: image, source: { url: media.imageUrl } });
  if (media.videoUrl !== undefined) out.push({ path: formatPath([...at, 'videoUrl']), role: video, source: { url: media.videoUrl } });
  if (media.videoFile !== undefined) out.push({ path: formatPath([...at, 'videoFile']), role: video, source: { file: videoFilePath(media.videoFile) } });
  return out;
}

/** Every media of a valid spec, in spec order, with the rules of its kind: feed, carousel and story images, a reel's cover, reels, story and carousel videos. */
export function mediaTargets(spec: PostSpec): MediaTarget[] {
  switch (spec.kind) {
    case 'image':
      return targetsOf(spec, [], 'feed-image', 'reel');
    case 'reel':
      return [...targetsOf(spec, [], 'feed-image', 'reel'), ...(spec.coverUrl === undefined ? [] : [{ path: 'coverUrl', role: 'cover' as const, source: { url: spec.coverUrl } }])];
    case 'story':
      return targetsOf(spec, [], 'story-image', 'story-video');
    case 'stories':
      return spec.items.flatMap((item, i) => targetsOf(item, ['items', i], 'story-image', 'story-video'));
    case 'carousel':
      return spec.items.flatMap((item, i) => targetsOf(item, ['items', i], 'carousel-image', 'carousel-video'));
  }
}
