import { z } from 'zod';
import { boundedArray } from './bounded-array.js';
import { commonFields } from './common-fields.js';
import { forbidden } from './forbidden.js';
import { HttpsUrl } from './https-url.js';
import { limits } from './limits.js';
import { isObjectPayload, mediaChoice } from './media-choice.js';
import { StoryUserTags } from './user-tags.js';
import { VideoFile } from './video-file.js';

/** Fields a story takes, and the ones it is known not to take (docs/graph-api.md#parameters-per-kind, docs/graph-api.md#limits-checked-before-any-request). */
const storyShape = {
  imageUrl: HttpsUrl.optional(),
  videoUrl: HttpsUrl.optional(),
  videoFile: VideoFile.optional(),
  userTags: StoryUserTags.optional(),
  caption: forbidden('stories take no caption: Instagram ignores it, so igflow rejects it'),
  altText: forbidden('stories take no altText: alt text is for feed and carousel images only'),
  collaborators: forbidden('stories take no collaborators'),
  firstComment: forbidden('stories take no comments: firstComment is for an image, a reel or a carousel'),
};

/** Reports a story that gives several or none of `imageUrl` / `videoUrl` / `videoFile`, even when other fields failed. */
function checkStoryMedia(story: { imageUrl?: unknown; videoUrl?: unknown; videoFile?: unknown }, ctx: z.core.$RefinementCtx): void {
  const choice = mediaChoice(story);
  if (choice === 'both') {
    ctx.addIssue({ code: 'custom', input: story, message: 'a story takes one of imageUrl, videoUrl or videoFile' });
  } else if (choice === 'neither') {
    ctx.addIssue({ code: 'custom', input: story, message: 'a story needs imageUrl (image), videoUrl or videoFile (video)' });
  }
}

/** One story in a `stories` sequence: exactly one of `imageUrl` / `videoUrl` / `videoFile`, optional `userTags`. */
export const StoryItem = z.strictObject(storyShape).superRefine(checkStoryMedia, { when: isObjectPayload });
/** One story in a sequence. Exactly one of `imageUrl` / `videoUrl` / `videoFile` is set. */
export type StoryItem = z.infer<typeof StoryItem>;

/** A single story (README, *Post specs*): exactly one of `imageUrl` / `videoUrl` / `videoFile`, never a caption. */
export const StorySpec = z
  .strictObject({ kind: z.literal('story'), ...storyShape, ...commonFields })
  .superRefine(checkStoryMedia, { when: isObjectPayload });
/** A single story post. Exactly one of `imageUrl` / `videoUrl` / `videoFile` is set. */
export type StorySpec = z.infer<typeof StorySpec>;

/** Stories published one by one, in order (README, *Post specs*; docs/graph-api.md#stories-in-sequence): 1 to `limits.stories.maxItems` items. */
export const StoriesSpec = z.strictObject({
  kind: z.literal('stories'),
  items: boundedArray(StoryItem, {
    min: limits.stories.minItems,
    max: limits.stories.maxItems,
    message: (count) =>
      `a stories sequence takes ${limits.stories.minItems} to ${limits.stories.maxItems} items (got ${count})`,
  }),
  ...commonFields,
  caption: forbidden('stories take no caption: Instagram ignores it, so igflow rejects it'),
  firstComment: forbidden('stories take no comments: firstComment is for an image, a reel or a carousel'),
});
/** A sequence of stories. */
export type StoriesSpec = z.infer<typeof StoriesSpec>;
