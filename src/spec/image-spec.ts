import { z } from 'zod';
import { Caption, FirstComment } from './caption.js';
import { brandedFields, commonFields } from './common-fields.js';
import { AltText, Collaborators, LocationId } from './fields.js';
import { forbidden } from './forbidden.js';
import { HttpsUrl } from './https-url.js';
import { ImageUserTags } from './user-tags.js';

/** A single feed image (README, *Post specs*; parameters per docs/graph-api.md#parameters-per-kind). Unknown fields are errors. */
export const ImageSpec = z.strictObject({
  kind: z.literal('image'),
  imageUrl: HttpsUrl,
  caption: Caption.optional(),
  firstComment: FirstComment.optional(),
  altText: AltText.optional(),
  userTags: ImageUserTags.optional(),
  locationId: LocationId.optional(),
  isAiGenerated: z.boolean({ error: 'isAiGenerated must be true or false' }).optional(),
  collaborators: Collaborators.optional(),
  ...brandedFields,
  ...commonFields,
  videoUrl: forbidden('an image post takes imageUrl; for a single video use kind "reel"'),
});
/** A single feed image post. */
export type ImageSpec = z.infer<typeof ImageSpec>;
