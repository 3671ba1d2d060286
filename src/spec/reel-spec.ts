import { z } from 'zod';
import { Caption } from './caption.js';
import { brandedFields, commonFields } from './common-fields.js';
import { Collaborators, LocationId, ThumbOffsetMs, TrialParams } from './fields.js';
import { forbidden } from './forbidden.js';
import { HttpsUrl } from './https-url.js';
import { ReelUserTags } from './user-tags.js';

/** A reel, the only way to post a single video (README, *Post specs*; docs/graph-api.md#reels-not-video). Unknown fields are errors. */
export const ReelSpec = z.strictObject({
  kind: z.literal('reel'),
  videoUrl: HttpsUrl,
  caption: Caption.optional(),
  coverUrl: HttpsUrl.optional(),
  thumbOffsetMs: ThumbOffsetMs.optional(),
  shareToFeed: z.boolean({ error: 'shareToFeed must be true or false' }).optional(),
  trialParams: TrialParams.optional(),
  userTags: ReelUserTags.optional(),
  locationId: LocationId.optional(),
  collaborators: Collaborators.optional(),
  audioName: z.string({ error: 'audioName must be a string' }).optional(),
  isAiGenerated: z.boolean({ error: 'isAiGenerated must be true or false' }).optional(),
  ...brandedFields,
  ...commonFields,
  altText: forbidden('reels take no altText: alt text is for images only'),
  imageUrl: forbidden('a reel takes videoUrl; for an image use kind "image"'),
});
/** A reel post. */
export type ReelSpec = z.infer<typeof ReelSpec>;
