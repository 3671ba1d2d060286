import { z } from 'zod';
import { Caption } from './caption.js';
import { AltText, LocationId } from './fields.js';
import { HttpsUrl } from './https-url.js';
import { limits } from './limits.js';

const plainUsername = z.string().regex(/^[A-Za-z0-9._]+$/).max(limits.username.maxLength);
const coordinate = z.number().min(limits.userTags.minCoordinate).max(limits.userTags.maxCoordinate);
const containerId = /^[^,\s]+$/;

/** One `user_tags` entry as sent: a handle without `@`, with `x`/`y` where the container kind takes them. */
export const GraphUserTag = z.strictObject({ username: plainUsername, x: coordinate.optional(), y: coordinate.optional() });
/** One `user_tags` entry as sent. */
export type GraphUserTag = z.infer<typeof GraphUserTag>;

/**
 * Every `POST /{ig-user-id}/media` parameter igflow sends, by its Graph API
 * name (docs/graph-api.md#parameters-per-kind). Values stay JS values (the body is JSON).
 * Arrays, when present, are non-empty: an empty list is left out instead.
 */
export const graphParamFields = {
  media_type: z.enum(['REELS', 'STORIES', 'VIDEO', 'CAROUSEL']).optional(),
  image_url: HttpsUrl.optional(),
  video_url: HttpsUrl.optional(),
  /** `resumable`: the video comes through the upload host, not a URL Instagram fetches (docs/graph-api.md#resumable-upload). */
  upload_type: z.literal('resumable').optional(),
  is_carousel_item: z.literal(true).optional(),
  children: z
    .string()
    .refine((s) => s.split(',').every((id) => containerId.test(id)), { error: 'children must be container ids joined by ","' })
    .refine(
      (s) => {
        const n = s.split(',').length;
        return n >= limits.carousel.minItems && n <= limits.carousel.maxItems;
      },
      { error: `children must list ${limits.carousel.minItems} to ${limits.carousel.maxItems} container ids` },
    )
    .optional(),
  caption: Caption.optional(),
  alt_text: AltText.optional(),
  user_tags: z.array(GraphUserTag).min(1).max(limits.userTags.maxCount).optional(),
  location_id: LocationId.optional(),
  collaborators: z.array(plainUsername).min(1).max(limits.collaborators.maxCount).optional(),
  cover_url: HttpsUrl.optional(),
  thumb_offset: z.int().min(limits.thumbOffsetMs.min).optional(),
  share_to_feed: z.boolean().optional(),
  trial_params: z.strictObject({ graduation_strategy: z.enum(['MANUAL', 'SS_PERFORMANCE']) }).optional(),
  audio_name: z.string().optional(),
  is_ai_generated: z.boolean().optional(),
  branded_content_sponsor_ids: z
    .array(z.string().regex(/^[0-9]+$/))
    .min(1)
    .max(limits.brandedContentSponsorIds.maxCount)
    .optional(),
  is_paid_partnership: z.boolean().optional(),
};

/** A parameter name of a media container. */
export type GraphParamName = keyof typeof graphParamFields;

/** The container shapes of docs/graph-api.md#parameters-per-kind, each with the parameters Meta takes for it. */
const allowedByShape = {
  'feed image': ['image_url', 'caption', 'alt_text', 'user_tags', 'location_id', 'collaborators', 'is_ai_generated', 'branded_content_sponsor_ids', 'is_paid_partnership'],
  reel: ['media_type', 'video_url', 'upload_type', 'caption', 'share_to_feed', 'cover_url', 'thumb_offset', 'audio_name', 'collaborators', 'user_tags', 'location_id', 'trial_params', 'is_ai_generated', 'branded_content_sponsor_ids', 'is_paid_partnership'],
  story: ['media_type', 'image_url', 'video_url', 'upload_type', 'user_tags'],
  'carousel image': ['image_url', 'is_carousel_item', 'alt_text', 'user_tags'],
  'carousel video': ['media_type', 'video_url', 'upload_type', 'is_carousel_item', 'thumb_offset'],
  carousel: ['media_type', 'children', 'caption', 'location_id', 'collaborators', 'is_ai_generated', 'share_to_feed', 'branded_content_sponsor_ids', 'is_paid_partnership'],
} as const satisfies Record<string, readonly GraphParamName[]>;

/** What a media container is by its parameters (a feed image, a reel, a story, a carousel item or parent): the shape whose rules it must keep. */
export type ContainerShape = keyof typeof allowedByShape;

type Fields = { [K in GraphParamName]?: z.infer<(typeof graphParamFields)[K]> };

/** The shape a set of parameters describes, or why it describes none. */
export function containerShape(p: Fields): ContainerShape | { readonly problem: string } {
  const image = p.image_url !== undefined;
  const video = p.video_url !== undefined || p.upload_type === 'resumable';
  if (p.video_url !== undefined && p.upload_type !== undefined) return { problem: 'a resumable upload takes no video_url: the bytes (or file_url) go to the upload host' };
  if (image && p.upload_type !== undefined) return { problem: 'only videos are uploaded; an image takes image_url' };
  if (p.media_type === 'CAROUSEL' || p.children !== undefined) {
    return p.media_type === 'CAROUSEL' && p.children !== undefined && !image && !video
      ? 'carousel'
      : { problem: 'a carousel parent needs media_type CAROUSEL and children, and no media URL' };
  }
  if (image && video) return { problem: 'a container takes image_url or video_url, not both' };
  if (!image && !video) return { problem: 'a container needs image_url, video_url (or upload_type resumable) or children' };
  if (p.is_carousel_item === true) {
    if (image && p.media_type === undefined) return 'carousel image';
    if (video && p.media_type === 'VIDEO') return 'carousel video';
    return { problem: 'a carousel child is an image without media_type, or a video with media_type VIDEO' };
  }
  switch (p.media_type) {
    case 'STORIES':
      return 'story';
    case 'REELS':
      return video ? 'reel' : { problem: 'media_type REELS needs video_url or upload_type resumable' };
    case 'VIDEO':
      return { problem: 'media_type VIDEO is only for carousel children; a single video is REELS' };
    case undefined:
      return image ? 'feed image' : { problem: 'a single video needs media_type REELS (or STORIES)' };
  }
}

/**
 * The parameters of one media container, checked against the role rules of
 * docs/graph-api.md#parameters-per-kind: each parameter only where Meta takes it, `VIDEO`
 * only for carousel children, x/y on image tags, none on reel tags.
 */
export const GraphContainerParams = z.strictObject(graphParamFields).superRefine((params, ctx) => {
  const shape = containerShape(params);
  if (typeof shape !== 'string') {
    ctx.addIssue({ code: 'custom', input: params, message: shape.problem });
    return;
  }
  const allowed: readonly string[] = allowedByShape[shape];
  for (const key of Object.keys(params)) {
    if (params[key as GraphParamName] !== undefined && !allowed.includes(key)) {
      ctx.addIssue({ code: 'custom', input: params, path: [key], message: `${key} is not a parameter of a ${shape} container` });
    }
  }
  const tagsNeedXY = shape === 'feed image' || shape === 'carousel image';
  params.user_tags?.forEach((tag, i) => {
    const hasXY = tag.x !== undefined || tag.y !== undefined;
    if (shape === 'reel' && hasXY) {
      ctx.addIssue({ code: 'custom', input: params, path: ['user_tags', i], message: 'reel user tags take a username only' });
    }
    if (tagsNeedXY && (tag.x === undefined || tag.y === undefined)) {
      ctx.addIssue({ code: 'custom', input: params, path: ['user_tags', i], message: 'image user tags need x and y' });
    }
  });
});
/** The parameters of one `POST /{ig-user-id}/media` call. */
export type ContainerParams = z.infer<typeof GraphContainerParams>;

const {
  caption,
  location_id,
  collaborators,
  is_ai_generated,
  share_to_feed,
  branded_content_sponsor_ids,
  is_paid_partnership,
} = graphParamFields;

/** A carousel parent's parameters before its children exist: everything but `children`. */
export const CarouselParentBase = z.strictObject({
  media_type: z.literal('CAROUSEL'),
  caption,
  location_id,
  collaborators,
  is_ai_generated,
  share_to_feed,
  branded_content_sponsor_ids,
  is_paid_partnership,
});
/** A carousel parent's parameters before its children exist. */
export type CarouselParentBase = z.infer<typeof CarouselParentBase>;
