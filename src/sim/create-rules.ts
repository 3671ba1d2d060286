import { captionError } from './caption-rules.js';
import type { StatusCode } from './container-status.js';
import type { MediaKind } from './endpoints.js';
import type { GraphErrorSpec } from './envelope.js';
import { bool, has, str, type Params } from './params.js';
import type { ProductType, ViolationType } from './record.js';
import { simErrors } from './sim-errors.js';

/** What a create request asks for, read from its parameters alone. */
export interface CreateShape {
  readonly kind: MediaKind;
  readonly isCarouselItem: boolean;
  /** `media_type` upper-cased, `IMAGE` when absent. */
  readonly mediaType: string;
  readonly productType: ProductType;
}

/** A child container as the carousel rules need to see it. */
export interface ChildView {
  readonly isCarouselItem: boolean;
  readonly status: StatusCode;
  readonly mediaUrls: readonly string[];
}

/** The verdict on a create request. */
export interface CreateVerdict {
  readonly error: GraphErrorSpec | undefined;
  /** Client mistakes to record (some come with an error, some without). */
  readonly violations: readonly { type: ViolationType; detail: string }[];
  /** Child IDs of a carousel parent, in order. */
  readonly children: readonly string[];
  /** The media URLs this container carries (children's for a parent). */
  readonly mediaUrls: readonly string[];
}

const MEDIA_TYPES = new Set(['IMAGE', 'VIDEO', 'REELS', 'STORIES', 'CAROUSEL']);

/** Whether a create asks for a resumable upload session (`upload_type=resumable`, docs/graph-api.md#resumable-upload). */
export function isResumable(params: Params): boolean {
  return str(params, 'upload_type') === 'resumable';
}

/** Reads kind, carousel-item flag and product type from a create request's parameters. */
export function shapeOf(params: Params): CreateShape {
  const mediaType = (str(params, 'media_type') ?? 'IMAGE').toUpperCase();
  const isCarouselItem = bool(params, 'is_carousel_item');
  if (mediaType === 'CAROUSEL') return { kind: 'carousel', isCarouselItem, mediaType, productType: 'FEED' };
  if (mediaType === 'REELS') return { kind: 'video', isCarouselItem, mediaType, productType: 'REELS' };
  if (mediaType === 'VIDEO') return { kind: 'video', isCarouselItem, mediaType, productType: 'FEED' };
  if (mediaType === 'STORIES') {
    const video = (has(params, 'video_url') || isResumable(params)) && !has(params, 'image_url');
    return { kind: video ? 'video' : 'image', isCarouselItem, mediaType, productType: 'STORY' };
  }
  return { kind: 'image', isCarouselItem, mediaType, productType: 'FEED' };
}

// docs/graph-api.md#request-shape: [UM] wants US-ASCII URLs; docs/graph-api.md#pitfalls-seen-in-real-clients: an empty URI gave 9004 / 2207052.
// Real fetching (reachability, format, size, ratio, codec) is not modeled.
function urlProblem(params: Params, name: string): GraphErrorSpec | undefined {
  const url = str(params, name) ?? '';
  const ascii = /^[\x21-\x7e]+$/.test(url);
  return ascii && /^https?:\/\/[^/]+/i.test(url) ? undefined : simErrors.mediaFetch(name);
}

function verdict(
  error: GraphErrorSpec | undefined,
  violations: CreateVerdict['violations'] = [],
  mediaUrls: readonly string[] = [],
  children: readonly string[] = [],
): CreateVerdict {
  return { error, violations, children, mediaUrls };
}

function mediaUrlsOf(params: Params, shape: CreateShape): { urls: string[]; error?: GraphErrorSpec } {
  const name = shape.kind === 'video' ? 'video_url' : 'image_url';
  if (!has(params, name)) {
    // Stories take image_url or video_url; name the one a caller most likely forgot.
    return { urls: [], error: simErrors.missingParam(name) };
  }
  const problem = urlProblem(params, name);
  return problem === undefined ? { urls: [str(params, name) ?? ''] } : { urls: [], error: problem };
}

/**
 * A resumable session carries no media URL: the bytes come later on the
 * upload host. docs/graph-api.md#resumable-upload: `upload_type` takes the
 * lowercase value `resumable` only [UM], for REELS, STORIES or a carousel
 * VIDEO item [RU], and the resumable syntax has no `video_url`. No code is
 * documented for a misuse: code 100 by choice.
 */
function resumableMedia(params: Params, shape: CreateShape): { urls: string[]; error?: GraphErrorSpec } {
  if (!isResumable(params)) return { urls: [], error: simErrors.invalidParam('upload_type must be the lowercase value resumable') };
  if (shape.kind !== 'video') {
    return { urls: [], error: simErrors.invalidParam('upload_type=resumable is only for videos (media_type REELS, STORIES, or VIDEO with is_carousel_item=true)') };
  }
  if (has(params, 'video_url')) {
    return { urls: [], error: simErrors.invalidParam('video_url cannot be combined with upload_type=resumable; send the bytes (or a file_url header) to the returned uri') };
  }
  return { urls: [] };
}

function carouselItemRules(params: Params): CreateVerdict | undefined {
  if (has(params, 'caption')) {
    // [UM]: caption does not work on carousel items. No code in docs/graph-api.md: code 100 by choice.
    return verdict(simErrors.invalidParam('caption is not supported on carousel items; put it on the carousel container'), [
      { type: 'caption-on-carousel-item', detail: 'caption sent on a carousel item' },
    ]);
  }
  if (has(params, 'is_ai_generated')) {
    // [G]: is_ai_generated on a child is an error. No code in docs/graph-api.md: code 100 by choice.
    return verdict(simErrors.invalidParam('is_ai_generated is only supported on the carousel container, not on carousel items'));
  }
  if (has(params, 'location_id')) {
    // [UM]: location_id does not work on carousel items. Code 100 by choice.
    return verdict(simErrors.invalidParam('location_id is not supported on carousel items'));
  }
  return undefined;
}

function altTextRule(params: Params, shape: CreateShape): GraphErrorSpec | undefined {
  if (!has(params, 'alt_text')) return undefined;
  // docs/graph-api.md#limits-checked-before-any-request: alt_text is for images only (not reels or stories), at most 1000 characters. Code 100 by choice.
  if (shape.kind !== 'image' || shape.productType === 'STORY') {
    return simErrors.invalidParam('alt_text is only supported on images (single or carousel item)');
  }
  if ((str(params, 'alt_text') ?? '').length > 1000) return simErrors.invalidParam('alt_text is longer than 1000 characters');
  return undefined;
}

function carouselParentRules(params: Params, lookup: (id: string) => ChildView | undefined): CreateVerdict {
  const raw = params['children'];
  if (raw === undefined || raw === null) return verdict(simErrors.missingParam('children'));
  // docs/graph-api.md#carousels: children is a comma-joined string; [B] warns a JSON array fails. Code 100 by choice.
  if (typeof raw !== 'string' || raw.trim().startsWith('[')) {
    return verdict(simErrors.invalidParam('children must be a comma-separated string of container IDs, not a JSON array'));
  }
  const children = raw
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (children.length < 2 || children.length > 10) return verdict(simErrors.carouselSize(children.length));
  const mediaUrls: string[] = [];
  for (const id of children) {
    const child = lookup(id);
    if (child === undefined || child.status === 'EXPIRED') return verdict(simErrors.containerGone(id));
    // Only containers created with is_carousel_item can be children. Code 100 by choice.
    if (!child.isCarouselItem) return verdict(simErrors.invalidParam(`container ${id} was not created with is_carousel_item=true`));
    if (child.status !== 'FINISHED') return verdict(simErrors.notReady(`carousel item ${id} is ${child.status}`));
    mediaUrls.push(...child.mediaUrls);
  }
  const captionProblem = captionCheck(params);
  return verdict(captionProblem, [], mediaUrls, children);
}

function captionCheck(params: Params): GraphErrorSpec | undefined {
  const caption = str(params, 'caption');
  return caption === undefined ? undefined : captionError(caption);
}

/**
 * Applies the create-time rules of docs/graph-api.md#the-container-flow,
 * docs/graph-api.md#limits-checked-before-any-request and
 * docs/graph-api.md#pitfalls-seen-in-real-clients to one request.
 * `lookup` resolves a child ID of the same account. The container cap is the
 * caller's job (it needs the account's history).
 */
export function checkCreate(params: Params, shape: CreateShape, lookup: (id: string) => ChildView | undefined): CreateVerdict {
  if (!MEDIA_TYPES.has(shape.mediaType)) return verdict(simErrors.unknownMediaType(shape.mediaType));
  if (shape.isCarouselItem && shape.mediaType !== 'IMAGE' && shape.mediaType !== 'VIDEO') {
    // [UM]: "reels cannot appear in carousels"; stories and carousels cannot be items either. Code 100 by choice.
    return verdict(simErrors.invalidParam(`media_type ${shape.mediaType} cannot be a carousel item`));
  }
  if (shape.kind === 'carousel') {
    if (has(params, 'upload_type')) return verdict(simErrors.invalidParam('upload_type=resumable is only for videos, not a carousel container'));
    return carouselParentRules(params, lookup);
  }

  if (shape.isCarouselItem) {
    const itemProblem = carouselItemRules(params);
    if (itemProblem !== undefined) return itemProblem;
  }
  const media = has(params, 'upload_type') ? resumableMedia(params, shape) : mediaUrlsOf(params, shape);
  if (media.error !== undefined) return verdict(media.error);
  const altProblem = altTextRule(params, shape);
  if (altProblem !== undefined) return verdict(altProblem);

  if (shape.productType === 'STORY') {
    // [B]: a story caption is ignored. The simulator creates the container and records the mistake.
    const violations = has(params, 'caption') ? [{ type: 'caption-on-story' as const, detail: 'caption sent on a story (ignored)' }] : [];
    return verdict(undefined, violations, media.urls);
  }
  return verdict(captionCheck(params), [], media.urls);
}
