import type { CarouselItem, CarouselSpec } from './carousel-spec.js';
import type { ContainerPlan, PlanEntry, UploadSource } from './container-plan.js';
import type { CarouselParentBase, ContainerParams, GraphUserTag } from './graph-container-params.js';
import type { ImageSpec } from './image-spec.js';
import { limits } from './limits.js';
import { mediaChoice } from './media-choice.js';
import type { PostSpec } from './post-spec.js';
import type { ReelSpec } from './reel-spec.js';
import type { StoryItem } from './story-spec.js';
import type { ImageUserTag, ReelUserTag, StoryUserTag } from './user-tags.js';
import type { VideoFile } from './video-file.js';

/** The upload of a local video file: its path, and its size and hash once pinned. */
function fileUpload(file: VideoFile): UploadSource {
  return typeof file === 'string' ? { from: 'file', path: file } : { from: 'file', path: file.path, size: file.size, sha256: file.sha256 };
}

/** How a video reaches Instagram: a URL it fetches (`video_url`), or a resumable upload of a local file. */
function videoSource(media: { readonly videoUrl?: string | undefined; readonly videoFile?: VideoFile | undefined }): { readonly params: Pick<ContainerParams, 'video_url' | 'upload_type'>; readonly upload?: UploadSource } {
  if (media.videoFile !== undefined) return { params: { upload_type: 'resumable' }, upload: fileUpload(media.videoFile) };
  return { params: { video_url: media.videoUrl } };
}

/** A copy of `params` without `undefined` values or empty arrays: Meta gets only what the spec says. */
function compact<T extends object>(params: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out as T;
}

const imageTags = (tags: readonly ImageUserTag[] | undefined): GraphUserTag[] | undefined =>
  tags?.map(({ username, x, y }) => ({ username, x, y }));

const storyTags = (tags: readonly StoryUserTag[] | undefined): GraphUserTag[] | undefined =>
  tags?.map(({ username, x, y }) => compact({ username, x, y }));

const reelTags = (tags: readonly ReelUserTag[] | undefined): GraphUserTag[] | undefined =>
  tags?.map(({ username }) => ({ username }));

function imageParams(spec: ImageSpec): ContainerParams {
  return compact({
    image_url: spec.imageUrl,
    caption: spec.caption,
    alt_text: spec.altText,
    user_tags: imageTags(spec.userTags),
    location_id: spec.locationId,
    is_ai_generated: spec.isAiGenerated,
    collaborators: spec.collaborators,
    branded_content_sponsor_ids: spec.brandedContentSponsorIds,
    is_paid_partnership: spec.isPaidPartnership,
  });
}

/** A single video is always `REELS`; `VIDEO` is only for carousel children (docs/graph-api.md#reels-not-video). */
function reelParams(spec: ReelSpec): ContainerParams {
  return compact({
    media_type: 'REELS' as const,
    ...videoSource(spec).params,
    caption: spec.caption,
    cover_url: spec.coverUrl,
    thumb_offset: spec.thumbOffsetMs,
    share_to_feed: spec.shareToFeed,
    trial_params: spec.trialParams && { graduation_strategy: spec.trialParams.graduationStrategy },
    user_tags: reelTags(spec.userTags),
    location_id: spec.locationId,
    collaborators: spec.collaborators,
    audio_name: spec.audioName,
    is_ai_generated: spec.isAiGenerated,
    branded_content_sponsor_ids: spec.brandedContentSponsorIds,
    is_paid_partnership: spec.isPaidPartnership,
  });
}

/** `{ upload }` when there is one: a plan entry without an upload has no such key. */
const withUpload = (upload: UploadSource | undefined): { readonly upload?: UploadSource } => (upload === undefined ? {} : { upload });

function storyEntry(story: StoryItem): PlanEntry {
  const media = mediaChoice(story);
  if (media === 'image') {
    return { media, params: compact({ media_type: 'STORIES' as const, image_url: story.imageUrl, user_tags: storyTags(story.userTags) }) };
  }
  if (media === 'video') {
    const source = videoSource(story);
    return { media, params: compact({ media_type: 'STORIES' as const, ...source.params, user_tags: storyTags(story.userTags) }), ...withUpload(source.upload) };
  }
  throw new RangeError(`a story needs exactly one of imageUrl, videoUrl or videoFile (got ${media}); validate the spec first`);
}

/** A carousel child: never caption, is_ai_generated, location_id or collaborators (docs/graph-api.md#parameters-per-kind). */
function carouselChild(item: CarouselItem): PlanEntry {
  const media = mediaChoice(item);
  if (media === 'image') {
    return {
      media,
      params: compact({ image_url: item.imageUrl, is_carousel_item: true as const, alt_text: item.altText, user_tags: imageTags(item.userTags) }),
    };
  }
  if (media === 'video') {
    const source = videoSource(item);
    return {
      media,
      params: compact({ media_type: 'VIDEO' as const, ...source.params, is_carousel_item: true as const, thumb_offset: item.thumbOffsetMs }),
      ...withUpload(source.upload),
    };
  }
  throw new RangeError(`a carousel item needs exactly one of imageUrl, videoUrl or videoFile (got ${media}); validate the spec first`);
}

function carouselParentBase(spec: CarouselSpec): CarouselParentBase {
  return compact({
    media_type: 'CAROUSEL' as const,
    caption: spec.caption,
    location_id: spec.locationId,
    collaborators: spec.collaborators,
    is_ai_generated: spec.isAiGenerated,
    branded_content_sponsor_ids: spec.brandedContentSponsorIds,
    is_paid_partnership: spec.isPaidPartnership,
  });
}

/**
 * The containers a valid post spec needs, with their exact Graph API
 * parameters (docs/graph-api.md#parameters-per-kind). Pure: no I/O, no clock. Pass only
 * specs that `validatePostSpec` accepted; an impossible spec throws a RangeError.
 */
export function containerPlan(spec: PostSpec): ContainerPlan {
  switch (spec.kind) {
    case 'image':
      return { kind: 'single', media: 'image', params: imageParams(spec) };
    case 'reel':
      return { kind: 'single', media: 'video', params: reelParams(spec), ...withUpload(videoSource(spec).upload) };
    case 'story':
      return { kind: 'single', ...storyEntry(spec) };
    case 'stories':
      return { kind: 'stories', items: spec.items.map(storyEntry) };
    case 'carousel': {
      const children = spec.items.map(carouselChild);
      const media = children.some((child) => child.media === 'video') ? 'video' : 'image';
      return { kind: 'carousel', children, parent: { media, params: carouselParentBase(spec) } };
    }
  }
}

/**
 * The carousel parent's parameters once its children exist: `children` is
 * the ids joined by `,` in item order (docs/graph-api.md#carousels).
 * Throws a RangeError for fewer than 2 or more than 10 ids, or an id that is
 * empty or holds a comma or whitespace.
 */
export function carouselParentParams(parentBase: CarouselParentBase, childIds: readonly string[]): ContainerParams {
  const { minItems, maxItems } = limits.carousel;
  if (childIds.length < minItems || childIds.length > maxItems) {
    throw new RangeError(`a carousel parent takes ${minItems} to ${maxItems} children (got ${childIds.length})`);
  }
  const bad = childIds.findIndex((id) => typeof id !== 'string' || !/^[^,\s]+$/.test(id));
  if (bad !== -1) throw new RangeError(`child container id #${bad} is empty or holds a comma or whitespace`);
  const { media_type, ...rest } = parentBase;
  return { media_type, children: childIds.join(','), ...rest };
}
