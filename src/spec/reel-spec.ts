import { z } from 'zod';
import { Caption, FirstComment } from './caption.js';
import { brandedFields, commonFields } from './common-fields.js';
import { Collaborators, LocationId, ThumbOffsetMs, TrialParams } from './fields.js';
import { forbidden } from './forbidden.js';
import { HttpsUrl } from './https-url.js';
import { isObjectPayload, mediaChoice } from './media-choice.js';
import { ReelUserTags } from './user-tags.js';
import { VideoFile } from './video-file.js';

/** The fields of a reel (the login-specific ones are swapped in by post-spec.ts). */
export const reelShape = {
  kind: z.literal('reel'),
  videoUrl: HttpsUrl.optional(),
  videoFile: VideoFile.optional(),
  caption: Caption.optional(),
  firstComment: FirstComment.optional(),
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
  imageUrl: forbidden('a reel takes videoUrl or videoFile; for an image use kind "image"'),
};

/** Reports a reel that gives both or neither of `videoUrl` / `videoFile`, even when other fields failed. */
export function checkReelMedia(reel: { videoUrl?: unknown; videoFile?: unknown }, ctx: z.core.$RefinementCtx): void {
  const choice = mediaChoice({ videoUrl: reel.videoUrl, videoFile: reel.videoFile });
  if (choice === 'both') ctx.addIssue({ code: 'custom', input: reel, message: 'a reel takes videoUrl or videoFile, not both' });
  else if (choice === 'neither') ctx.addIssue({ code: 'custom', input: reel, path: ['videoUrl'], message: 'a reel needs videoUrl (a public https URL) or videoFile (a local file)' });
}

/** A reel, the only way to post a single video (README, *Post specs*; docs/graph-api.md#reels-not-video): from `videoUrl` or a local `videoFile`. Unknown fields are errors. */
export const ReelSpec = z.strictObject(reelShape).superRefine(checkReelMedia, { when: isObjectPayload });
/** A reel post. */
export type ReelSpec = z.infer<typeof ReelSpec>;
