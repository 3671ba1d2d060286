import { z } from 'zod';
import { boundedArray } from './bounded-array.js';
import { Caption, FirstComment } from './caption.js';
import { brandedFields, commonFields } from './common-fields.js';
import { AltText, Collaborators, LocationId, ThumbOffsetMs } from './fields.js';
import { forbidden } from './forbidden.js';
import { HttpsUrl } from './https-url.js';
import { limits } from './limits.js';
import { isObjectPayload, mediaChoice } from './media-choice.js';
import { ImageUserTags } from './user-tags.js';
import { VideoFile } from './video-file.js';

/** Reports the cross-field rules of a carousel item, even when other fields failed. */
function checkCarouselItem(
  item: { imageUrl?: unknown; videoUrl?: unknown; videoFile?: unknown; altText?: unknown; userTags?: unknown; thumbOffsetMs?: unknown },
  ctx: z.core.$RefinementCtx,
): void {
  const choice = mediaChoice(item);
  if (choice === 'both') {
    ctx.addIssue({ code: 'custom', input: item, message: 'a carousel item takes one of imageUrl (image), videoUrl or videoFile (video)' });
  } else if (choice === 'neither') {
    ctx.addIssue({ code: 'custom', input: item, message: 'a carousel item needs imageUrl (image), videoUrl or videoFile (video)' });
  } else if (choice === 'video') {
    if (item.altText !== undefined) {
      ctx.addIssue({ code: 'custom', input: item, path: ['altText'], message: 'video items take no altText: alt text is for images only' });
    }
    if (item.userTags !== undefined) {
      ctx.addIssue({ code: 'custom', input: item, path: ['userTags'], message: 'video items take no userTags: tags are for image items only' });
    }
  } else if (item.thumbOffsetMs !== undefined) {
    ctx.addIssue({ code: 'custom', input: item, path: ['thumbOffsetMs'], message: 'thumbOffsetMs is for video items only' });
  }
}

/**
 * One carousel item (docs/graph-api.md#parameters-per-kind): an image
 * `{ imageUrl, altText?, userTags? }` or a video `{ videoUrl | videoFile, thumbOffsetMs? }`.
 * Caption, isAiGenerated, locationId and collaborators belong on the carousel itself.
 */
export const CarouselItem = z
  .strictObject({
    imageUrl: HttpsUrl.optional(),
    videoUrl: HttpsUrl.optional(),
    videoFile: VideoFile.optional(),
    altText: AltText.optional(),
    userTags: ImageUserTags.optional(),
    thumbOffsetMs: ThumbOffsetMs.optional(),
    caption: forbidden('carousel items take no caption: put it on the carousel'),
    firstComment: forbidden('carousel items take no firstComment: put it on the carousel'),
    isAiGenerated: forbidden('isAiGenerated goes on the carousel, not on its items'),
    locationId: forbidden('locationId goes on the carousel, not on its items'),
    collaborators: forbidden('collaborators go on the carousel, not on its items'),
  })
  .superRefine(checkCarouselItem, { when: isObjectPayload });
/** One carousel item: an image (`imageUrl`, `altText?`, `userTags?`) or a video (`videoUrl` or `videoFile`, `thumbOffsetMs?`). */
export type CarouselItem = z.infer<typeof CarouselItem>;

/** A carousel of 2 to 10 images and/or videos (README, *Post specs*; docs/graph-api.md#parameters-per-kind, docs/graph-api.md#carousels, docs/graph-api.md#limits-checked-before-any-request). Unknown fields are errors. */
export const CarouselSpec = z.strictObject({
  kind: z.literal('carousel'),
  caption: Caption.optional(),
  firstComment: FirstComment.optional(),
  items: boundedArray(CarouselItem, {
    min: limits.carousel.minItems,
    max: limits.carousel.maxItems,
    message: (count) =>
      `a carousel takes ${limits.carousel.minItems} to ${limits.carousel.maxItems} items (got ${count})`,
  }),
  locationId: LocationId.optional(),
  collaborators: Collaborators.optional(),
  isAiGenerated: z.boolean({ error: 'isAiGenerated must be true or false' }).optional(),
  ...brandedFields,
  ...commonFields,
  altText: forbidden('altText goes on each image item, not on the carousel'),
  userTags: forbidden('userTags go on each image item, not on the carousel'),
});
/** A carousel post. */
export type CarouselSpec = z.infer<typeof CarouselSpec>;
