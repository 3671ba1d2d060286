import { z } from 'zod';
import { CarouselParentBase, GraphContainerParams } from './graph-container-params.js';
import { limits } from './limits.js';

/** What a container holds; callers pick poll deadlines by it. */
export const MediaKind = z.enum(['image', 'video']);
/** `'image'` or `'video'`. */
export type MediaKind = z.infer<typeof MediaKind>;

/** One container to create: its media kind and its exact Graph API parameters. */
export const PlanEntry = z.strictObject({ media: MediaKind, params: GraphContainerParams });
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
  z.strictObject({ kind: z.literal('single'), media: MediaKind, params: GraphContainerParams }),
  z.strictObject({ kind: z.literal('stories'), items: z.array(PlanEntry).min(limits.stories.minItems).max(limits.stories.maxItems) }),
  z.strictObject({
    kind: z.literal('carousel'),
    children: z.array(PlanEntry).min(limits.carousel.minItems).max(limits.carousel.maxItems),
    parent: z.strictObject({ media: MediaKind, params: CarouselParentBase }),
  }),
]);
/** The containers a post needs. */
export type ContainerPlan = z.infer<typeof ContainerPlan>;
