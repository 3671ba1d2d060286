import { z } from 'zod';
import { CarouselParentBase, GraphContainerParams } from './graph-container-params.js';
import { limits } from './limits.js';

/** What a container holds; callers pick poll deadlines by it. */
export const MediaKind = z.enum(['image', 'video']);
/** `'image'` or `'video'`. */
export type MediaKind = z.infer<typeof MediaKind>;

/**
 * Where the bytes of a resumable container come from (docs/graph-api.md#resumable-upload):
 * a local file (pinned by size and SHA-256 once igflow has checked it), or
 * a hosted file the upload host fetches itself (`file_url`).
 */
export const UploadSource = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('file'), path: z.string().min(1), size: z.int().positive().optional(), sha256: z.string().optional() }),
  z.strictObject({ from: z.literal('url'), url: z.string().min(1) }),
]);
/** Where an upload's bytes come from. */
export type UploadSource = z.infer<typeof UploadSource>;

/** One container to create: its media kind, its exact Graph API parameters and, for a resumable one, what to upload. */
export const PlanEntry = z.strictObject({ media: MediaKind, params: GraphContainerParams, upload: UploadSource.optional() });
/** One container to create. */
export type PlanEntry = z.infer<typeof PlanEntry>;

/**
 * The containers a post needs (docs/graph-api.md#the-container-flow):
 * - `single`: one container (image, reel, story), then publish it;
 * - `stories`: one container per story, each published in order;
 * - `carousel`: the children, then the parent built by `carouselParentParams`
 *   from the children's container ids. The parent's `media` is `'video'` when
 *   any child is a video.
 */
export const ContainerPlan = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single'), media: MediaKind, params: GraphContainerParams, upload: UploadSource.optional() }),
  z.strictObject({ kind: z.literal('stories'), items: z.array(PlanEntry).min(limits.stories.minItems).max(limits.stories.maxItems) }),
  z.strictObject({
    kind: z.literal('carousel'),
    children: z.array(PlanEntry).min(limits.carousel.minItems).max(limits.carousel.maxItems),
    parent: z.strictObject({ media: MediaKind, params: CarouselParentBase }),
  }),
]);
/** The containers a post needs. */
export type ContainerPlan = z.infer<typeof ContainerPlan>;
